package io.promtsdb.core;

/** One name/value pair of a series' {@link Labels}. */
public record Label(String name, String value) {
  public Label {
    if (name == null || value == null) {
      throw new NullPointerException("label name and value must not be null");
    }
  }
}
