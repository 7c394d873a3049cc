/**
 * The remote commands of {@code jetlag}: {@code remote login|logout|setup}, {@code submit}, {@code
 * jobs} and {@code job <id> status|history|cancel|fetch}, on the Tapis v3 client of {@code
 * org.jetlag.remote}.
 */
package org.jetlag.cli.internal.remote;
