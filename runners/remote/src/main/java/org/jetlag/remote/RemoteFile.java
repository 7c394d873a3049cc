package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A file or folder in a listing (the {@code FileInfo} schema).
 *
 * @param name the file name
 * @param path the path relative to the listed root
 * @param type {@code file} or {@code dir}
 * @param size the size in bytes
 */
public record RemoteFile(String name, String path, String type, long size) {
  /** The file from a {@code FileInfo} object. */
  public static RemoteFile of(JsonNode j) {
    JsonNode size = j.get("size");
    return new RemoteFile(
        RemoteJob.text(j, "name"),
        RemoteJob.text(j, "path"),
        RemoteJob.text(j, "type"),
        size == null ? 0 : size.asLong());
  }

  /** True for a folder. */
  public boolean isDir() {
    return "dir".equals(type);
  }
}
