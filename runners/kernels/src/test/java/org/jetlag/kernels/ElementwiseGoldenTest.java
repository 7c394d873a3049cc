package org.jetlag.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jetlag.graph.DType;
import org.jetlag.graph.ops.OpKind.BinaryFn;
import org.jetlag.graph.ops.OpKind.UnaryFn;
import org.junit.jupiter.api.Test;

class ElementwiseGoldenTest {
  private static final List<JsonNode> CASES = Goldens.cases("elementwise.json");

  @Test
  void matchesNumpyOnEveryGolden() {
    List<String> failures = new ArrayList<>();
    Set<UnaryFn> unary = EnumSet.noneOf(UnaryFn.class);
    Set<BinaryFn> binary = EnumSet.noneOf(BinaryFn.class);
    for (JsonNode c : CASES) {
      JsonNode exp = c.get("out");
      Block out = Block.allocate(Goldens.dtype(exp), exp.get("values").size());
      int n = out.length();
      String op = c.get("op").asText();
      String label = op;
      switch (op) {
        case "unary" -> {
          UnaryFn fn = UnaryFn.valueOf(c.get("fn").asText().toUpperCase(Locale.ROOT));
          unary.add(fn);
          label += " " + fn + " " + c.get("a").get("dtype").asText();
          Elementwise.unary(fn, Goldens.block(c.get("a")), out, n);
        }
        case "binary" -> {
          BinaryFn fn = BinaryFn.valueOf(c.get("fn").asText().toUpperCase(Locale.ROOT));
          binary.add(fn);
          label +=
              " "
                  + fn
                  + " "
                  + c.get("a").get("dtype").asText()
                  + "["
                  + c.get("a").get("values").size()
                  + "] "
                  + c.get("b").get("dtype").asText()
                  + "["
                  + c.get("b").get("values").size()
                  + "]";
          Elementwise.binary(fn, Goldens.block(c.get("a")), Goldens.block(c.get("b")), out, n);
        }
        case "where" ->
            Elementwise.where(
                Goldens.block(c.get("cond")),
                Goldens.block(c.get("a")),
                Goldens.block(c.get("b")),
                out,
                n);
        case "clip" ->
            Elementwise.clip(
                Goldens.block(c.get("a")),
                Goldens.num(c.get("min")),
                Goldens.num(c.get("max")),
                out,
                n);
        case "cast" -> {
          label += " " + c.get("a").get("dtype").asText() + "->" + exp.get("dtype").asText();
          Elementwise.cast(Goldens.block(c.get("a")), out, n);
        }
        default -> throw new IllegalStateException(op);
      }
      String m = Goldens.mismatch(out, exp, c.get("tol"));
      if (m != null) {
        failures.add(label + ": " + m);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(unary).as("every UnaryFn has goldens").containsExactlyInAnyOrder(UnaryFn.values());
    assertThat(binary)
        .as("every BinaryFn has goldens")
        .containsExactlyInAnyOrder(BinaryFn.values());
  }

  @Test
  void integerToNegativePowerFails() {
    Block out = Block.allocate(DType.INT64, 2);
    assertThatThrownBy(
            () ->
                Elementwise.binary(
                    BinaryFn.POW,
                    Block.ofLongs(DType.INT64, 2, 3),
                    Block.ofLongs(DType.INT64, -1),
                    out,
                    2))
        .isInstanceOf(KernelException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void int64ArithmeticWraps() {
    Block out = Block.allocate(DType.INT64, 1);
    Elementwise.binary(
        BinaryFn.ADD,
        Block.ofLongs(DType.INT64, Long.MAX_VALUE),
        Block.ofLongs(DType.INT64, 1),
        out,
        1);
    assertThat(out.longs()[0]).isEqualTo(Long.MIN_VALUE);
    Block o32 = Block.allocate(DType.INT32, 1);
    Elementwise.binary(
        BinaryFn.MUL, Block.ofLongs(DType.INT32, 65536), Block.ofLongs(DType.INT32, 65536), o32, 1);
    assertThat(o32.longs()[0]).isZero();
  }

  @Test
  void fusedChainIsFastOnFloat64() {
    int n = 5_000_000;
    Block a = Block.allocate(DType.FLOAT64, n);
    Block b = Block.allocate(DType.FLOAT64, n);
    for (int i = 0; i < n; i++) {
      a.doubles()[i] = i * 0.5;
      b.doubles()[i] = 1.0 / (i + 1);
    }
    Block tmp = Block.allocate(DType.FLOAT64, n);
    Block two = Block.ofDoubles(DType.FLOAT64, 2.0);
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < 15; rep++) {
      long t0 = System.nanoTime();
      Elementwise.binary(BinaryFn.MUL, a, b, tmp, n);
      Elementwise.binary(BinaryFn.ADD, tmp, two, tmp, n);
      best = Math.min(best, System.nanoTime() - t0);
    }
    // Two passes: mul reads 2 and writes 1 array, add reads 1 and writes 1 (in place).
    double gbs = 5.0 * 8 * n / best;
    System.out.printf(
        "elementwise a*b+2 (two kernels, 5M float64): %.2f ms, %.1f GB/s%n", best / 1e6, gbs);
    assertThat(tmp.doubles()[3]).isEqualTo(1.5 * 0.25 + 2.0);
  }
}
