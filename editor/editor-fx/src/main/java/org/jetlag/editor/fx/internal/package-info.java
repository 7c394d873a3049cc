/** Implementation details of the editor views (layout, drawing helpers); not an API. */
package org.jetlag.editor.fx.internal;
