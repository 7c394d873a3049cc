/** Planning, wiring, fusion, memory accounting and loops of the local runner. Not API. */
package org.jetlag.runner.local.internal;
