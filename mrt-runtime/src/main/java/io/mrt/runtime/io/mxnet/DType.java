package io.mrt.runtime.io.mxnet;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * MXNet's dtype codes ({@code type_flag}, mshadow) with their byte sizes and the ND4J type an
 * array of that code is read into. float16 and bfloat16 are converted to float32 on read.
 */
enum DType {
  FLOAT32(0, 4, DataType.FLOAT),
  FLOAT64(1, 8, DataType.DOUBLE),
  FLOAT16(2, 2, DataType.FLOAT),
  UINT8(3, 1, DataType.UINT8),
  INT32(4, 4, DataType.INT32),
  INT8(5, 1, DataType.INT8),
  INT64(6, 8, DataType.INT64),
  BOOL(7, 1, DataType.BOOL),
  INT16(8, 2, DataType.INT16),
  UINT16(9, 2, DataType.UINT16),
  UINT32(10, 4, DataType.UINT32),
  UINT64(11, 8, DataType.UINT64),
  BFLOAT16(12, 2, DataType.FLOAT);

  final int code;
  final int bytes;
  final DataType nd4j;

  DType(int code, int bytes, DataType nd4j) {
    this.code = code;
    this.bytes = bytes;
    this.nd4j = nd4j;
  }

  /** The dtype of a code, or null if the code is unknown. */
  static DType ofCode(int code) {
    for (DType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** The code an ND4J array is written with (HALF and BFLOAT16 keep their 16-bit codes). */
  static DType forWrite(DataType t) {
    if (t == null) {
      return null;
    }
    return switch (t.name()) {
      case "FLOAT" -> FLOAT32;
      case "DOUBLE" -> FLOAT64;
      case "HALF" -> FLOAT16;
      case "BFLOAT16" -> BFLOAT16;
      case "UBYTE" -> UINT8;
      case "INT" -> INT32;
      case "BYTE" -> INT8;
      case "LONG" -> INT64;
      case "BOOL" -> BOOL;
      case "SHORT" -> INT16;
      case "UINT16" -> UINT16;
      case "UINT32" -> UINT32;
      case "UINT64" -> UINT64;
      default -> null;
    };
  }
}
