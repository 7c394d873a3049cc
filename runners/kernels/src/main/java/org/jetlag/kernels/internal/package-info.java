/** Implementation helpers of the kernels (special functions); not part of the public API. */
package org.jetlag.kernels.internal;
