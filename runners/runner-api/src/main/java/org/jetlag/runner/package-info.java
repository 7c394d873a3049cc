/** The runner SPI: start a typed graph with inputs, observe events, get outputs and timings. */
package org.jetlag.runner;
