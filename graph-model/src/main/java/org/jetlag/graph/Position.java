package org.jetlag.graph;

/**
 * Where the editor draws a node; layout metadata that runners ignore.
 *
 * @param x horizontal position in canvas units
 * @param y vertical position in canvas units
 */
public record Position(double x, double y) {}
