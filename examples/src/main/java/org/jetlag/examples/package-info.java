/** Example pipelines written with the Java API; their JSON twins live under examples/. */
package org.jetlag.examples;
