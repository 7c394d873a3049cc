/** The local asynchronous runner, JetLag's default. */
package org.jetlag.runner.local;
