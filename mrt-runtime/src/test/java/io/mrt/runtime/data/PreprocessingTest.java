package io.mrt.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mrt.runtime.MrtException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class PreprocessingTest {
  /** Two RGB images of 1x2 pixels: image i, channel c, column x holds 10*i + 3*c + x. */
  private static final ImageSet RGB = ImageSet.of("rgb", 3, 1, 2,
      TestFiles.bytes(0, 1, 3, 4, 6, 7, 10, 11, 13, 14, 16, 17), new int[] {4, 2});

  @Test
  void scaleMeanAndStdApplyPerChannel() {
    Preprocessing p = new Preprocessing(2, new double[] {1, 2, 3}, new double[] {1, 2, 4}, Layout.NCHW,
        new long[] {-1, 3, 1, 2});
    INDArray x = p.batch(RGB, 0, 2);
    assertEquals(DataType.FLOAT, x.dataType());
    assertArrayEquals(new long[] {2, 3, 1, 2}, x.shape());
    // image 0: red (0*2-1)/1, (1*2-1)/1; green (3*2-2)/2, (4*2-2)/2; blue (6*2-3)/4, (7*2-3)/4
    assertArrayEquals(new float[] {-1, 1, 2, 3, 2.25f, 2.75f}, x.slice(0).reshape(6).toFloatVector());
    // image 1: red 19, 21; green (26-2)/2, (28-2)/2; blue (32-3)/4, (34-3)/4
    assertArrayEquals(new float[] {19, 21, 12, 13, 7.25f, 7.75f}, x.slice(1).reshape(6).toFloatVector());
  }

  @Test
  void nhwcPutsChannelsLast() {
    Preprocessing p = new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NHWC, new long[] {-1, 1, 2, 3});
    INDArray x = p.batch(RGB, 1, 1);
    assertArrayEquals(new long[] {1, 1, 2, 3}, x.shape());
    assertArrayEquals(new float[] {10, 13, 16, 11, 14, 17}, x.reshape(6).toFloatVector());
  }

  @Test
  void flatInputShapeTakesTheSampleInLayoutOrder() {
    Preprocessing p = new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NCHW, new long[] {-1, 6});
    INDArray x = p.batch(RGB, 0, 2);
    assertArrayEquals(new long[] {2, 6}, x.shape());
    assertArrayEquals(new float[] {0, 1, 3, 4, 6, 7}, x.getRow(0).toFloatVector());
  }

  @Test
  void divideBy255MapsTheByteRangeOntoZeroToOne() {
    ImageSet grey = ImageSet.of("g", 1, 1, 3, TestFiles.bytes(0, 51, 255), new int[] {0});
    INDArray x = Preprocessing.divideBy255(-1, 1, 1, 3).batch(grey, 0, 1);
    // in float32, 51 * (float) (1/255.0) rounds to 0.20000002
    assertArrayEquals(new float[] {0f, 0.20000002f, 1f}, x.reshape(3).toFloatVector(), 0f);
  }

  @Test
  void cifarMeanAndStdGiveTheModelCardsFormulaInFloat32() {
    ImageSet one = ImageSet.of("c", 3, 1, 1, TestFiles.bytes(0, 128, 255), new int[] {0});
    Preprocessing p = new Preprocessing(1 / 255.0, new double[] {0.4914, 0.4822, 0.4465},
        new double[] {0.2023, 0.1994, 0.2010}, Layout.NCHW, new long[] {-1, 3, 1, 1});
    float[] x = p.batch(one, 0, 1).reshape(3).toFloatVector();
    assertArrayEquals(new float[] {-2.4290657f, 0.099101394f, 2.7537313f}, x, 0f);
  }

  @Test
  void fillByIndicesWritesTheImagesInTheOrderGiven() {
    Preprocessing p = new Preprocessing(1, new double[] {0}, new double[] {1}, Layout.NCHW, new long[] {-1, 6});
    float[] dst = new float[12];
    p.fill(RGB, new int[] {1, 0}, dst);
    assertArrayEquals(new float[] {10, 11, 13, 14, 16, 17, 0, 1, 3, 4, 6, 7}, dst);
  }

  @Test
  void rank4ShapeMustMatchTheImages() {
    Preprocessing p = Preprocessing.divideBy255(-1, 1, 28, 28);
    MrtException e = assertThrows(MrtException.class, () -> p.check(RGB));
    assertEquals("input shape [-1, 1, 28, 28]: expected NCHW sample dimensions [3, 1, 2] (the images of rgb)",
        e.getMessage());
  }

  @Test
  void flatShapeMustHoldTheWholeSample() {
    Preprocessing p = Preprocessing.divideBy255(-1, 784);
    MrtException e = assertThrows(MrtException.class, () -> p.check(RGB));
    assertEquals("input shape [-1, 784]: holds 784 values per sample, but the images of rgb have 6 (3x1x2)",
        e.getMessage());
  }

  @Test
  void meanWithTheWrongChannelCountIsRefused() {
    Preprocessing p = new Preprocessing(1, new double[] {1, 2}, new double[] {1}, Layout.NCHW, new long[] {-1, 3, 1, 2});
    MrtException e = assertThrows(MrtException.class, () -> p.check(RGB));
    assertEquals("preprocessing mean: expected 1 or 3 values (the channels of rgb), found 2", e.getMessage());
  }

  @Test
  void zeroStdIsRefused() {
    MrtException e = assertThrows(MrtException.class, () -> new Preprocessing(1, new double[] {0},
        new double[] {0.5, 0}, Layout.NCHW, new long[] {-1, 3, 1, 2}));
    assertEquals("preprocessing std: expected finite non-zero values, found [0.5, 0.0]", e.getMessage());
  }

  @Test
  void layoutParsesEitherCaseAndNamesTheKeyOnError() {
    assertEquals(Layout.NHWC, Layout.parse("LAYOUT", "nhwc"));
    MrtException e = assertThrows(MrtException.class, () -> Layout.parse("LAYOUT", "CHW"));
    assertEquals("LAYOUT: expected NCHW or NHWC, found 'CHW'", e.getMessage());
  }
}
