package org.jetlag.runner.beam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.kernels.Block;
import org.jetlag.kernels.Elementwise;
import org.junit.jupiter.api.Test;

/**
 * The Beam stack works on JetLag's classpath: chunks keyed by index go through a DirectRunner step
 * that applies a shared kernel, with the runner's immutability and encodability checks on.
 */
class DirectRunnerSmokeTest {
  /** Results gathered from the pipeline (DirectRunner runs in this JVM). */
  static final Map<Long, ChunkData> SEEN = new ConcurrentHashMap<>();

  /** Applies {@code sqrt} to each chunk. */
  static final class Sqrt extends DoFn<KV<Long, ChunkData>, KV<Long, ChunkData>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<Long, ChunkData> e, OutputReceiver<KV<Long, ChunkData>> out) {
      Block in = e.getValue().toBlock();
      Block r = Block.allocate(DType.FLOAT64, in.length());
      Elementwise.unary(OpKind.UnaryFn.SQRT, in, r, in.length());
      out.output(KV.of(e.getKey(), ChunkData.of(r, e.getValue().shape(), e.getValue().rowStart())));
    }
  }

  /** Records each chunk. */
  static final class Collect extends DoFn<KV<Long, ChunkData>, Void> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<Long, ChunkData> e) {
      SEEN.put(e.getKey(), e.getValue());
    }
  }

  @Test
  void chunksFlowThroughAKernelOnTheDirectRunner() {
    SEEN.clear();
    List<KV<Long, ChunkData>> chunks = new ArrayList<>();
    for (long i = 0; i < 4; i++) {
      double[] v = new double[3];
      for (int k = 0; k < 3; k++) {
        v[k] = (i * 3 + k) * (i * 3 + k);
      }
      chunks.add(KV.of(i, ChunkData.of(Block.ofDoubles(DType.FLOAT64, v), Shape.of(3), i * 3)));
    }
    Pipeline p =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(
                    "--runner=DirectRunner",
                    "--enforceImmutability=true",
                    "--enforceEncodability=true")
                .create());
    p.apply("n1/input", Create.of(chunks).withCoder(KvCoder.of(VarLongCoder.of(), ChunkCoder.of())))
        .apply("n2/sqrt", ParDo.of(new Sqrt()))
        .setCoder(KvCoder.of(VarLongCoder.of(), ChunkCoder.of()))
        .apply("n3/output", ParDo.of(new Collect()));
    p.run().waitUntilFinish();
    assertThat(SEEN).hasSize(4);
    for (long i = 0; i < 4; i++) {
      Block b = SEEN.get(i).toBlock();
      for (int k = 0; k < 3; k++) {
        assertThat(b.getAsDouble(k)).isEqualTo(i * 3 + k);
      }
      assertThat(SEEN.get(i).rowStart()).isEqualTo(i * 3);
    }
  }
}
