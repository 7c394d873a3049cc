package org.jetlag.runner.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.jetlag.graph.DType;

/**
 * Encodes a {@link ChunkData} for Beam: a version byte, the dtype's wire name, the rank and
 * dimensions, the first row, then the element bytes exactly as in an Arrow data buffer. The
 * encoding is deterministic (equal chunks give equal bytes), so chunks may be grouped by key;
 * golden bytes pin it in the tests.
 */
public final class ChunkCoder extends AtomicCoder<ChunkData> {
  private static final long serialVersionUID = 1L;
  private static final int VERSION = 1;
  private static final ChunkCoder INSTANCE = new ChunkCoder();

  private ChunkCoder() {}

  /** The coder. */
  public static ChunkCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ChunkData c, OutputStream out) throws IOException {
    if (c == null) {
      throw new CoderException("cannot encode a null chunk");
    }
    DataOutputStream d = new DataOutputStream(out);
    d.writeByte(VERSION);
    d.writeUTF(c.dtype().wireName());
    long[] dims = c.dims();
    VarInt.encode(dims.length, out);
    for (long x : dims) {
      VarInt.encode(x, out);
    }
    VarInt.encode(c.rowStart(), out);
    byte[] p = c.payload();
    VarInt.encode(p.length, out);
    out.write(p);
  }

  @Override
  public ChunkData decode(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int v = d.readUnsignedByte();
    if (v != VERSION) {
      throw new CoderException("chunk encoding version " + v + " is not " + VERSION);
    }
    String name = d.readUTF();
    DType dtype =
        DType.fromWireName(name).orElseThrow(() -> new CoderException("unknown dtype " + name));
    int rank = VarInt.decodeInt(in);
    if (rank < 0 || rank > 4) {
      throw new CoderException("chunk rank " + rank + " is out of range");
    }
    long[] dims = new long[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = VarInt.decodeLong(in);
    }
    long rowStart = VarInt.decodeLong(in);
    int n = VarInt.decodeInt(in);
    byte[] p = new byte[n];
    d.readFully(p);
    try {
      return ChunkData.owned(dtype, dims, rowStart, p);
    } catch (IllegalArgumentException e) {
      throw new CoderException("corrupt chunk: " + e.getMessage());
    }
  }

  @Override
  public void verifyDeterministic() {
    // equal chunks always encode to equal bytes
  }
}
