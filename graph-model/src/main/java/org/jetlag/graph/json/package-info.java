/** The JSON graph format: a strict reader and a canonical writer. */
package org.jetlag.graph.json;
