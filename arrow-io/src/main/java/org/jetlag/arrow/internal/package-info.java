/** Implementation of the array files and conversions; not an API, may change without notice. */
package org.jetlag.arrow.internal;
