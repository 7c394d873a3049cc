/** Implementation details of the editor view models; not an API. */
package org.jetlag.editor.internal;
