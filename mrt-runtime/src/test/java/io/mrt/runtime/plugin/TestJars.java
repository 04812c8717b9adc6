package io.mrt.runtime.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes small jars for the plugin host tests. */
public final class TestJars {
  private TestJars() {}

  /** A PF4J manifest: id, version 1.0.0 and the given Plugin-Requires ({@code null}: none). */
  public static Map<String, String> manifest(String id, String requires) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Plugin-Id", id);
    m.put("Plugin-Version", "1.0.0");
    if (requires != null) {
      m.put("Plugin-Requires", requires);
    }
    return m;
  }

  /** A plugin jar holding the registry classes and their service registration. */
  public static Path plugin(Path dir, String file, Map<String, String> manifest, Class<?>... registries) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    StringBuilder services = new StringBuilder();
    for (Class<?> c : registries) {
      entries.put(c.getName().replace('.', '/') + ".class", classBytes(c));
      services.append(c.getName()).append('\n');
    }
    if (registries.length > 0) {
      entries.put("META-INF/services/io.mrt.api.registry.OpRegistry", services.toString().getBytes(StandardCharsets.UTF_8));
    }
    return jar(dir.resolve(file), manifest, entries);
  }

  public static Path jar(Path path, Map<String, String> manifestAttrs, Map<String, byte[]> entries) {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifestAttrs.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
    try (OutputStream os = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(os, mf)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue());
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return path;
  }

  public static byte[] classBytes(Class<?> c) {
    String resource = "/" + c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
