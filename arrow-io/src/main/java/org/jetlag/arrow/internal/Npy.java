package org.jetlag.arrow.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.ChunkReader;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.DType;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;

/** The NumPy {@code .npy} format, versions 1.0, 2.0 and 3.0, C order only. */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final int SEGMENT = 1 << 30;
  private static final String SUPPORTED =
      "<f8, <f4, <i8, <i4, |b1 (or big-endian >f8, >f4, >i8, >i4)";

  private static final Pattern DESCR =
      Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
  private static final Pattern DESCR_ANY = Pattern.compile("['\"]descr['\"]\\s*:\\s*([^,]*)");
  private static final Pattern FORTRAN =
      Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** A parsed header: the type, byte order and where the data starts. */
  public static final class Header {
    final TensorType type;
    final boolean bigEndian;
    final long dataOffset;

    Header(TensorType type, boolean bigEndian, long dataOffset) {
      this.type = type;
      this.bigEndian = bigEndian;
      this.dataOffset = dataOffset;
    }

    /** The dtype and shape. */
    public TensorType type() {
      return type;
    }
  }

  /** Reads and checks the header of {@code path}, including that the data is all there. */
  public static TensorType header(Path path) {
    try (FileChannel ch = FileSupport.openForRead(path)) {
      return readHeader(path, ch).type;
    } catch (IOException e) {
      throw new ArrayFileException(path, "cannot be read: " + e, e);
    }
  }

  static Header readHeader(Path path, FileChannel ch) throws IOException {
    long fileSize = ch.size();
    ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, pre, 0);
    if (pre.position() < 10 || !startsWithMagic(pre)) {
      throw new ArrayFileException(
          path, "not a .npy file: expected the magic \\x93NUMPY at the start, found " + hex(pre));
    }
    int major = pre.get(6) & 0xff;
    int minor = pre.get(7) & 0xff;
    long headerLen;
    long headerStart;
    if (major == 1) {
      headerLen = pre.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len, 8);
      if (len.position() < 4) {
        throw new ArrayFileException(
            path, "truncated .npy header: file has " + fileSize + " bytes");
      }
      headerLen = len.getInt(0) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new ArrayFileException(
          path, "unsupported .npy version " + major + "." + minor + ": expected 1.0, 2.0 or 3.0");
    }
    if (headerStart + headerLen > fileSize) {
      throw new ArrayFileException(
          path,
          "truncated .npy header: expected "
              + headerLen
              + " header bytes, file has "
              + Math.max(0, fileSize - headerStart));
    }
    if (headerLen > (1 << 24)) {
      throw new ArrayFileException(path, "corrupt .npy header: length " + headerLen + " is absurd");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(ch, hb, headerStart);
    String text =
        new String(
            hb.array(),
            0,
            hb.position(),
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = parse(path, text, headerStart + headerLen);
    long bytes = h.type.shape().knownSize() * h.type.dtype().byteWidth();
    long available = fileSize - h.dataOffset;
    if (available < bytes) {
      throw new ArrayFileException(
          path,
          "truncated: header says "
              + h.type
              + " ("
              + bytes
              + " data bytes), file has "
              + available
              + " data bytes");
    }
    return h;
  }

  private static Header parse(Path path, String text, long dataOffset) {
    String t = text.strip();
    if (!t.startsWith("{") || !t.endsWith("}")) {
      throw new ArrayFileException(
          path, "corrupt .npy header: expected a Python dict, found '" + oneLine(t) + "'");
    }
    Matcher fm = FORTRAN.matcher(t);
    if (!fm.find()) {
      throw new ArrayFileException(
          path, "corrupt .npy header: no 'fortran_order' in '" + oneLine(t) + "'");
    }
    if (fm.group(1).equals("True")) {
      throw new ArrayFileException(
          path,
          "unsupported fortran_order: True: expected C (row-major) order; save with"
              + " numpy.ascontiguousarray");
    }
    Matcher dm = DESCR.matcher(t);
    if (!dm.find()) {
      Matcher any = DESCR_ANY.matcher(t);
      String found = any.find() ? any.group(1).strip() : "nothing";
      throw new ArrayFileException(
          path, "unsupported dtype " + oneLine(found) + ": expected one of " + SUPPORTED);
    }
    String descr = dm.group(1);
    DType dtype =
        dtypeOf(descr)
            .orElseThrow(
                () ->
                    new ArrayFileException(
                        path, "unsupported dtype '" + descr + "': expected one of " + SUPPORTED));
    boolean big = descr.startsWith(">") && dtype.byteWidth() > 1;
    Matcher sm = SHAPE.matcher(t);
    if (!sm.find()) {
      throw new ArrayFileException(path, "corrupt .npy header: no 'shape' in '" + oneLine(t) + "'");
    }
    List<Long> dims = new ArrayList<>();
    for (String part : sm.group(1).split(",", -1)) {
      String p = part.strip();
      if (p.endsWith("L")) {
        p = p.substring(0, p.length() - 1);
      }
      if (p.isEmpty()) {
        continue;
      }
      BigInteger v;
      try {
        v = new BigInteger(p);
      } catch (NumberFormatException e) {
        throw new ArrayFileException(
            path,
            "corrupt .npy header: shape (" + sm.group(1) + ") has a non-integer '" + p + "'",
            e);
      }
      if (v.bitLength() > 62) {
        throw new ArrayFileException(
            path, "absurd shape (" + sm.group(1) + "): its element count overflows 64 bits");
      }
      dims.add(v.longValue());
    }
    long[] d = dims.stream().mapToLong(Long::longValue).toArray();
    Shape shape = Shapes.checked(path, d);
    return new Header(new TensorType(dtype, shape), big, dataOffset);
  }

  private static Optional<DType> dtypeOf(String descr) {
    if (descr.length() < 2) {
      return Optional.empty();
    }
    char order = descr.charAt(0);
    String code = descr.substring(1);
    if (order != '<' && order != '>' && order != '|' && order != '=') {
      return Optional.empty();
    }
    switch (code) {
      case "f8" -> {
        return order == '|' ? Optional.empty() : Optional.of(DType.FLOAT64);
      }
      case "f4" -> {
        return order == '|' ? Optional.empty() : Optional.of(DType.FLOAT32);
      }
      case "i8" -> {
        return order == '|' ? Optional.empty() : Optional.of(DType.INT64);
      }
      case "i4" -> {
        return order == '|' ? Optional.empty() : Optional.of(DType.INT32);
      }
      case "b1" -> {
        return Optional.of(DType.BOOL);
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /** The descr NumPy writes for {@code dtype}. */
  static String descr(DType dtype) {
    switch (dtype) {
      case FLOAT64 -> {
        return "<f8";
      }
      case FLOAT32 -> {
        return "<f4";
      }
      case INT64 -> {
        return "<i8";
      }
      case INT32 -> {
        return "<i4";
      }
      case BOOL -> {
        return "|b1";
      }
    }
    throw new AssertionError(dtype);
  }

  /** The complete header (magic, version, length, padded dict) for an array of this type. */
  static byte[] headerBytes(DType dtype, Shape shape) {
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.rank(); i++) {
      if (i > 0) {
        sh.append(", ");
      }
      sh.append(shape.dim(i));
    }
    if (shape.rank() == 1) {
      sh.append(',');
    }
    sh.append(')');
    String dict =
        "{'descr': '" + descr(dtype) + "', 'fortran_order': False, 'shape': " + sh + ", }";
    int pre = 10;
    int total = pre + dict.length() + 1;
    int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
    String text = dict + " ".repeat(padded - total) + "\n";
    ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
    b.put(text.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /** Writes {@code a} to {@code path} atomically as version 1.0. */
  public static void write(NdArray a, Path path) {
    Objects.requireNonNull(a, "a");
    FileSupport.writeAtomically(
        path,
        temp -> {
          try (FileChannel ch = FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(headerBytes(a.dtype(), a.shape())));
            for (Chunk c : a.chunks()) {
              ArrowBuf buf = c.buffer();
              for (long off = 0; off < c.byteSize(); off += SEGMENT) {
                int len = (int) Math.min(SEGMENT, c.byteSize() - off);
                writeFully(ch, buf.nioBuffer(off, len));
              }
            }
            ch.force(true);
          }
        });
  }

  /** Opens a reader of {@code rowsPerChunk} rows per chunk. */
  public static ChunkReader openReader(Path path, BufferAllocator alloc, long rowsPerChunk) {
    Objects.requireNonNull(alloc, "alloc");
    if (rowsPerChunk < 1) {
      throw new IllegalArgumentException("rowsPerChunk must be >= 1, got " + rowsPerChunk);
    }
    FileChannel ch = FileSupport.openForRead(path);
    try {
      Header h = readHeader(path, ch);
      return new Reader(path, ch, h, alloc, rowsPerChunk);
    } catch (IOException e) {
      FileSupport.closeQuietly(ch, e);
      throw new ArrayFileException(path, "cannot be read: " + e, e);
    } catch (RuntimeException e) {
      FileSupport.closeQuietly(ch, e);
      throw e;
    }
  }

  /** Reads rows {@code [rowStart, rowStart + rows)} of {@code path} as one chunk. */
  public static Chunk readRows(Path path, BufferAllocator alloc, long rowStart, long rows) {
    try (ChunkReader r = openReader(path, alloc, Math.max(1, rows))) {
      Reader reader = (Reader) r;
      if (rowStart < 0 || rowStart > reader.totalRows) {
        throw new ArrayFileException(
            path, "has " + reader.totalRows + " rows; cannot read from row " + rowStart);
      }
      reader.rowsRead = rowStart;
      return r.next()
          .orElseGet(
              () -> {
                Shape s = reader.h.type.shape();
                return Chunk.allocate(
                    alloc, reader.h.type.dtype(), s.rank() == 0 ? s : s.withDim(0, 0), rowStart);
              });
    }
  }

  private static final class Reader implements ChunkReader {
    private final Path path;
    private final FileChannel ch;
    private final Header h;
    private final BufferAllocator alloc;
    private final long rowsPerChunk;
    private final long totalRows;
    private final long rowBytes;
    private long rowsRead;
    private boolean closed;

    Reader(Path path, FileChannel ch, Header h, BufferAllocator alloc, long rowsPerChunk) {
      this.path = path;
      this.ch = ch;
      this.h = h;
      this.alloc = alloc;
      this.rowsPerChunk = rowsPerChunk;
      Shape s = h.type.shape();
      this.totalRows = s.rank() == 0 ? 1 : s.dim(0);
      this.rowBytes = s.rowSize() * h.type.dtype().byteWidth();
    }

    @Override
    public TensorType type() {
      return h.type;
    }

    @Override
    public Optional<Chunk> next() {
      if (closed) {
        throw new IllegalStateException("reader of " + path + " is closed");
      }
      if (rowsRead >= totalRows) {
        return Optional.empty();
      }
      Shape s = h.type.shape();
      DType dtype = h.type.dtype();
      long rows = rowBytes == 0 ? totalRows : Math.min(rowsPerChunk, totalRows - rowsRead);
      Shape cs = s.rank() == 0 ? s : s.withDim(0, rows);
      Chunk c = Chunk.allocate(alloc, dtype, cs, rowsRead);
      try {
        ArrowBuf buf = c.buffer();
        long pos = h.dataOffset + rowsRead * rowBytes;
        for (long off = 0; off < c.byteSize(); off += SEGMENT) {
          int len = (int) Math.min(SEGMENT, c.byteSize() - off);
          ByteBuffer bb = buf.nioBuffer(off, len);
          readFully(ch, bb, pos + off);
          if (bb.hasRemaining()) {
            throw new ArrayFileException(
                path,
                "truncated: expected "
                    + len
                    + " bytes at offset "
                    + (pos + off)
                    + ", found "
                    + bb.position());
          }
        }
        fixUp(buf, dtype, c.size());
      } catch (IOException e) {
        c.close();
        throw new ArrayFileException(path, "read failed: " + e, e);
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      rowsRead += rows;
      return Optional.of(c);
    }

    private void fixUp(ArrowBuf buf, DType dtype, long n) {
      if (dtype == DType.BOOL) {
        for (long i = 0; i < n; i++) {
          if (buf.getByte(i) != 0 && buf.getByte(i) != 1) {
            buf.setByte(i, 1);
          }
        }
      } else if (h.bigEndian && dtype.byteWidth() == 8) {
        for (long i = 0; i < n; i++) {
          buf.setLong(i * 8, Long.reverseBytes(buf.getLong(i * 8)));
        }
      } else if (h.bigEndian) {
        for (long i = 0; i < n; i++) {
          buf.setInt(i * 4, Integer.reverseBytes(buf.getInt(i * 4)));
        }
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        try {
          ch.close();
        } catch (IOException e) {
          throw new ArrayFileException(path, "closing failed: " + e, e);
        }
      }
    }
  }

  private static boolean startsWithMagic(ByteBuffer pre) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (pre.get(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static String hex(ByteBuffer b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(6, b.position()); i++) {
      sb.append(String.format("%02x", b.get(i) & 0xff));
    }
    return sb.length() == 0 ? "nothing" : "0x" + sb;
  }

  private static String oneLine(String s) {
    String t = s.replace('\n', ' ').strip();
    return t.length() > 120 ? t.substring(0, 120) + "..." : t;
  }

  /** Reads into {@code b} from {@code pos} until it is full or the file ends. */
  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    long p = pos;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        return;
      }
      p += n;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
