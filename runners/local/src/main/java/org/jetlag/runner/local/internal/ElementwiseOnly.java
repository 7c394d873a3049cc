package org.jetlag.runner.local.internal;

import org.jetlag.graph.ops.OpKind;

/** A visitor for elementwise kinds; the other families are not elementwise. */
abstract class ElementwiseOnly<R> implements OpKind.Visitor<R> {
  private static IllegalStateException notElementwise(String what) {
    return new IllegalStateException(what + " is not elementwise");
  }

  @Override
  public R reduce(OpKind.ReduceFn fn) {
    throw notElementwise(fn.name());
  }

  @Override
  public R create(OpKind.CreateFn fn) {
    throw notElementwise(fn.name());
  }

  @Override
  public R shape(OpKind.ShapeFn fn) {
    throw notElementwise(fn.name());
  }

  @Override
  public R linalg(OpKind.LinalgFn fn) {
    throw notElementwise(fn.name());
  }

  @Override
  public R sort(OpKind.SortFn fn) {
    throw notElementwise(fn.name());
  }

  @Override
  public R io(OpKind.IoFn fn) {
    throw notElementwise(fn.name());
  }

  @Override
  public R graphPort(OpKind.GraphPortFn fn) {
    throw notElementwise(fn.name());
  }

  @Override
  public R control(OpKind.ControlFn fn) {
    throw notElementwise(fn.name());
  }
}
