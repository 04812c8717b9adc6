package io.mrt.api.registry;

/** The attribute types an op may declare; each parses from MXNet's string form. */
public enum AttrType {
  /** {@code True/False/1/0}. */
  BOOL,
  /** A 32-bit integer. */
  INT,
  /** A 64-bit integer. */
  LONG,
  /** A float. */
  FLOAT,
  /** A double. */
  DOUBLE,
  /** The raw string. */
  STRING,
  /** An int tuple {@code (1, 2)}. */
  INTS,
  /** A long tuple. */
  LONGS,
  /** A float tuple. */
  FLOATS,
  /** A double tuple. */
  DOUBLES
}
