/** Planning shared by the runners: which elementwise nodes fuse into one pass. */
package org.jetlag.runner.plan;
