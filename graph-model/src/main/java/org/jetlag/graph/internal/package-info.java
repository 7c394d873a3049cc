/** Validation internals (JGraphT stays here). Not API. */
package org.jetlag.graph.internal;
