/** The fluent Java API that builds graphs with NumPy-like calls, usable from JShell. */
package org.jetlag.graph.build;
