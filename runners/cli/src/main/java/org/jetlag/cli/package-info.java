/**
 * The {@code jetlag} command: run, validate and inspect graphs from a terminal or a script.
 *
 * <p>{@link org.jetlag.cli.Main} is the entry point; {@link org.jetlag.cli.ExitCodes} lists what
 * the process exit status means. Everything else lives in {@code org.jetlag.cli.internal}.
 */
package org.jetlag.cli;
