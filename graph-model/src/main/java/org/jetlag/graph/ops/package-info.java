/**
 * The op catalogue: every op's ports, parameters, type rule, docs and palette category, and the
 * closed set of op families runners dispatch on.
 */
package org.jetlag.graph.ops;
