package io.mrt.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs in the shape of MRT's model zoo (DEVICE_TYPE gpu, no MODEL_DIR or DATASET_DIR, flow lists
 * with trailing commas, None in OSCALE_MAPS) load as MRT loads them.
 */
class MrtShapedConfigsTest {
  @TempDir Path dir;

  private MrtConfig load(String yaml) throws Exception {
    Path f = dir.resolve("model.yaml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f, List.of());
  }

  @Test
  void anImagenetConfigWithGpuDevicesLoadsWithMrtsDefaults() throws Exception {
    MrtConfig c = load("""
        COMMON:
          MODEL_NAME: resnet18_v1
        CALIBRATE:
          NUM_CALIB: 1
          DATASET_NAME: imagenet
          LAMBD: 16
          DEVICE_TYPE: gpu
          DEVICE_IDS: [0]
        QUANTIZE:
          INPUT_PRECISION: 8
          OUTPUT_PRECISION: 8
          DEVICE_TYPE: gpu
          DEVICE_IDS: [0, 1]
        EVALUATE:
          BATCH: 160
          DEVICE_TYPE: gpu
          DEVICE_IDS: [0]
          ITER_NUM: 500
        """);
    assertEquals("imagenet", c.string("CALIBRATE.DATASET_NAME"));
    assertEquals("gpu", c.string("QUANTIZE.DEVICE_TYPE"));
    assertEquals(List.of(0, 1), c.list("QUANTIZE.DEVICE_IDS"));
    assertEquals(Path.of(System.getProperty("user.home"), "mrt_model"), c.modelDir());
    assertEquals(c.modelDir(), c.outputDir(), "stage files go beside the model, as in MRT");
    assertNull(c.string("CALIBRATE.DATASET_DIR"), "the data set folder defaults later, from its name");
    assertEquals(Arrays.asList(-1, 3, 224, 224), c.ints("PREPARE.INPUT_SHAPE"));
  }

  @Test
  void aDetectorConfigWithTrailingCommasAndNoneLoads() throws Exception {
    MrtConfig c = load("""
        COMMON:
          MODEL_NAME: yolo3_darknet53_voc
          VERBOSITY: info
          RUN_EVALUATE: True
        PREPARE:
          INPUT_SHAPE: [-1, 3, 416, 416]
          SPLIT_KEYS: [
            "yolov30_yolooutputv30_expand_dims0",
            "yolov30_yolooutputv30_tile0",
          ]
        CALIBRATE:
          DATASET_NAME: voc
          DEVICE_TYPE: gpu
        QUANTIZE:
          OUTPUT_PRECISION: 30
          THRESHOLDS: [
            ["data", 2.64],
            ["yolov30_yolooutputv30_tile0", 416],
          ]
          ATTRIBUTE_DEPS: [
            [
              "_contrib_box_nms",
              [
                ["valid_thresh", "yolov30_yolooutputv30_expand_dims0"],
              ]
            ],
          ]
          OSCALE_MAPS: [
            ["yolov30_slice_axis1", None],
            ["yolov30_slice_axis2", "yolov30_yolooutputv30_expand_dims0"],
          ]
        """);
    assertEquals(List.of("yolov30_yolooutputv30_expand_dims0", "yolov30_yolooutputv30_tile0"),
        c.strings("PREPARE.SPLIT_KEYS"));
    assertEquals(List.of(List.of("data", 2.64), List.of("yolov30_yolooutputv30_tile0", 416)),
        c.list("QUANTIZE.THRESHOLDS"));
    assertEquals(List.of(List.of("_contrib_box_nms", List.of(List.of("valid_thresh",
        "yolov30_yolooutputv30_expand_dims0")))), c.list("QUANTIZE.ATTRIBUTE_DEPS"));
    assertEquals(List.of(Arrays.asList("yolov30_slice_axis1", "None"),
        List.of("yolov30_slice_axis2", "yolov30_yolooutputv30_expand_dims0")), c.list("QUANTIZE.OSCALE_MAPS"));
  }

  @Test
  void aTextConfigWithTheBatchAxisSecondLoads() throws Exception {
    MrtConfig c = load("""
        COMMON:
          MODEL_NAME: trec
        PREPARE:
          INPUT_SHAPE: [38,-1]
        CALIBRATE:
          DATASET_NAME: trec
          DEVICE_TYPE: gpu
        QUANTIZE:
          INPUT_PRECISION: 16
        """);
    assertEquals(List.of(38, -1), c.ints("PREPARE.INPUT_SHAPE"));
    assertEquals(16, c.nullableInt("QUANTIZE.INPUT_PRECISION"));
  }

  @Test
  void aDeviceOtherThanCpuOrGpuIsAnError() throws Exception {
    io.mrt.runtime.MrtException e = org.junit.jupiter.api.Assertions.assertThrows(io.mrt.runtime.MrtException.class,
        () -> load("""
            COMMON:
              MODEL_NAME: m
            CALIBRATE:
              DEVICE_TYPE: tpu
            """));
    assertEquals(dir.resolve("model.yaml").toAbsolutePath().normalize() + ": CALIBRATE.DEVICE_TYPE: expected cpu or gpu, "
        + "found 'tpu'", e.getMessage());
  }
}
