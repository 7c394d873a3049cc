/** The implementation of the {@code jetlag} command; not an API, may change at any time. */
package org.jetlag.cli.internal;
