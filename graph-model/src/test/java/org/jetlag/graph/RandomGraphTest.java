package org.jetlag.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jetlag.graph.json.GraphJson;
import org.junit.jupiter.api.Test;

/** Invariants over 500 seeded random graphs: validation never throws; JSON round-trips. */
class RandomGraphTest {
  private static final int GRAPHS = 500;

  @Test
  void generatorIsDeterministic() {
    assertThat(RandomGraphs.generate(42)).isEqualTo(RandomGraphs.generate(42));
    assertThat(RandomGraphs.generate(42)).isNotEqualTo(RandomGraphs.generate(43));
  }

  @Test
  void validationNeverThrowsAndValidGraphsAreTopologicallyOrdered() {
    int valid = 0;
    Set<String> codes = new HashSet<>();
    for (long seed = 0; seed < GRAPHS; seed++) {
      Graph g = RandomGraphs.generate(seed);
      Validation.Result[] r = new Validation.Result[1];
      assertThatCode(() -> r[0] = Validation.validate(g))
          .as("seed %s", seed)
          .doesNotThrowAnyException();
      if (r[0].ok()) {
        valid++;
        assertThat(r[0].errors()).isEmpty();
        assertTopological(r[0].typed().get(), seed);
      } else {
        assertThat(r[0].errors()).as("seed %s", seed).isNotEmpty();
        r[0].errors().forEach(d -> codes.add(d.code()));
        // every diagnostic renders in the one shape
        r[0].errors().forEach(d -> assertThat(d.toString()).contains(": "));
      }
    }
    // both kinds must be well represented, or the generator has drifted
    assertThat(valid).as("valid graphs").isBetween(GRAPHS / 10, GRAPHS - GRAPHS / 10);
    assertThat(codes).contains("type", "unknown-op", "dangling-edge", "missing-input");
  }

  private static void assertTopological(TypedGraph t, long seed) {
    List<Node> order = t.order();
    assertThat(order).as("seed %s", seed).hasSameSizeAs(t.graph().nodes());
    Map<String, Integer> pos = new java.util.HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      pos.put(order.get(i).id(), i);
    }
    for (Edge e : t.graph().edges()) {
      assertThat(pos.get(e.from().node()))
          .as("seed %s edge %s", seed, e)
          .isLessThan(pos.get(e.to().node()));
    }
    for (Node n : order) {
      if (n.body().isPresent()) {
        assertTopological(t.body(n.id()), seed);
      }
    }
  }

  @Test
  void everyRandomGraphRoundTripsThroughJson() {
    for (long seed = 0; seed < GRAPHS; seed++) {
      Graph g = RandomGraphs.generate(seed);
      String text = GraphJson.write(g);
      Graph back = GraphJson.parse(text, "seed-" + seed);
      assertThat(back).as("seed %s", seed).isEqualTo(g);
      assertThat(GraphJson.write(back)).isEqualTo(text);
    }
  }
}
