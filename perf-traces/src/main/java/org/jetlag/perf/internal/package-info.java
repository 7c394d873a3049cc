/** Implementation of the trace reports: derived figures, graph layout and HTML helpers; not API. */
package org.jetlag.perf.internal;
