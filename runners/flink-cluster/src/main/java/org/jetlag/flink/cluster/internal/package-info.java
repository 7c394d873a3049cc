/** The implementation of the Flink cluster launcher; not an API, may change at any time. */
package org.jetlag.flink.cluster.internal;
