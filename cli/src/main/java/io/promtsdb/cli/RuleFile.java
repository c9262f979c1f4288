package io.promtsdb.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Prometheus rule file ({@code model/rulefmt}, 3.5.3) as {@code rules.Manager.LoadGroups}
 * reads it: YAML decoded strictly (unknown fields are errors), then validated, with
 * Prometheus' messages ({@code FILE: LINE:COL: group "g", rule 1, "name": ...}).
 *
 * <p>Not reproduced: the PromQL parse of {@code expr} (there is no PromQL parser here; a
 * query the server cannot parse fails later, at {@code query range}), and YAML syntax errors,
 * which carry SnakeYAML's words rather than yaml.v3's. yaml.v3's type errors ({@code line 3:
 * cannot unmarshal !!int `5` into []rulefmt.Rule}) and unknown fields are reproduced.
 */
final class RuleFile {
  /** A rule: exactly one of {@code record} and {@code alert} is set. */
  record Rule(String record, String alert, String expr, Map<String, String> labels) {
    /** Go's {@code Rule.Name()}. */
    String name() {
      return alert.isEmpty() ? record : alert;
    }
  }

  /**
   * A group.
   *
   * @param intervalNanos the group's {@code interval}, 0 if unset
   * @param labels group labels, overridden by each rule's
   */
  record Group(String name, long intervalNanos, Map<String, String> labels, List<Rule> rules) {}

  /** A rule file that Prometheus would refuse, with its message (first error). */
  static final class InvalidRuleFileException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidRuleFileException(String message) {
      super(message);
    }
  }

  private static final YAMLFactory YAML = new YAMLFactory();

  private RuleFile() {}

  /**
   * A YAML node with its position (1-based line and column, as yaml.v3 reports them) and, for
   * a scalar, its resolved tag ({@code str}, {@code int}, {@code float}, {@code bool}, {@code null}).
   */
  private record Node(Object value, int line, int column, String tag) {
    /** A scalar's text; null for YAML null. */
    String text() {
      return value instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    Map<String, Node> map() {
      return value instanceof Map<?, ?> m ? (Map<String, Node>) m : null;
    }

    @SuppressWarnings("unchecked")
    List<Node> list() {
      return value instanceof List<?> l ? (List<Node>) l : null;
    }
  }

  /** Reads {@code file}; the path as given names it in messages, as in Go. */
  static List<Group> load(String file) throws InvalidRuleFileException, IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new InvalidRuleFileException(file + ": open " + file + ": no such file or directory");
    }
    try {
      return parse(bytes);
    } catch (InvalidRuleFileException e) {
      throw new InvalidRuleFileException(file + ": " + e.getMessage());
    }
  }

  static List<Group> parse(byte[] content) throws InvalidRuleFileException {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(content));
    } catch (CharacterCodingException e) {
      throw new InvalidRuleFileException("yaml: invalid leading UTF-8 octet");
    }
    Node root;
    try (JsonParser p = YAML.createParser(content)) {
      root = p.nextToken() == null ? null : read(p);
    } catch (JsonProcessingException e) {
      throw new InvalidRuleFileException("yaml: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRuleFileException("yaml: " + e.getMessage());
    }
    List<String> typeErrors = new ArrayList<>();
    List<Group> groups = new ArrayList<>();
    List<Node> groupNodes = new ArrayList<>();
    List<List<Node>> ruleNodes = new ArrayList<>();
    Map<String, Node> top = root == null || root.value() == null ? Map.of() : mapping(root, "rulefmt.RuleGroups", typeErrors);
    known(top, Set.of("groups"), "rulefmt.RuleGroups", typeErrors);
    Node gs = top.get("groups");
    if (gs != null && gs.value() != null) {
      List<Node> list = gs.list();
      if (list == null) {
        typeErrors.add(cannot(gs, "[]rulefmt.RuleGroup"));
      } else {
        for (Node g : list) {
          Map<String, Node> gm = mapping(g, "rulefmt.RuleGroup", typeErrors);
          known(gm, Set.of("name", "interval", "query_offset", "limit", "rules", "labels"), "rulefmt.RuleGroup", typeErrors);
          scalar(gm.get("name"), typeErrors);
          stringMap(gm.get("labels"), typeErrors);
          Node limit = gm.get("limit");
          if (limit != null && limit.value() != null && !limit.tag().equals("int")) {
            typeErrors.add(cannot(limit, "int"));
          }
          long interval = duration(gm.get("interval"));
          duration(gm.get("query_offset"));
          List<Rule> rules = new ArrayList<>();
          List<Node> rn = new ArrayList<>();
          Node rs = gm.get("rules");
          if (rs != null && rs.value() != null && rs.list() == null) {
            typeErrors.add(cannot(rs, "[]rulefmt.Rule"));
          }
          if (rs != null && rs.list() != null) {
            for (Node r : rs.list()) {
              Map<String, Node> rm = mapping(r, "rulefmt.Rule", typeErrors);
              known(rm, Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"), "rulefmt.Rule", typeErrors);
              for (String f : new String[] {"record", "alert", "expr"}) {
                scalar(rm.get(f), typeErrors);
              }
              stringMap(rm.get("labels"), typeErrors);
              stringMap(rm.get("annotations"), typeErrors);
              duration(rm.get("for"));
              duration(rm.get("keep_firing_for"));
              rules.add(new Rule(str(rm.get("record")), str(rm.get("alert")), str(rm.get("expr")), strings(rm.get("labels"))));
              rn.add(r);
            }
          }
          groups.add(new Group(str(gm.get("name")), interval, strings(gm.get("labels")), rules));
          groupNodes.add(g);
          ruleNodes.add(rn);
        }
      }
    }
    if (!typeErrors.isEmpty()) {
      throw new InvalidRuleFileException("yaml: unmarshal errors:\n  " + String.join("\n  ", typeErrors));
    }
    validate(groups, groupNodes, ruleNodes);
    return groups;
  }

  /** Go's {@code RuleGroups.Validate}: the first of its errors (promtool prints only that). */
  private static void validate(List<Group> groups, List<Node> groupNodes, List<List<Node>> ruleNodes)
      throws InvalidRuleFileException {
    Set<String> seen = new java.util.HashSet<>();
    for (int j = 0; j < groups.size(); j++) {
      Group g = groups.get(j);
      // Go's positions here come from a node it never fills in: always 0:0.
      if (g.name().isEmpty()) {
        throw new InvalidRuleFileException("0:0: Groupname must not be empty");
      }
      if (!seen.add(g.name())) {
        throw new InvalidRuleFileException("0:0: groupname: \"" + g.name() + "\" is repeated in the same file");
      }
      for (Map.Entry<String, String> l : g.labels().entrySet()) {
        if (l.getKey().isEmpty() || l.getKey().equals("__name__")) {
          throw new InvalidRuleFileException("invalid label name: " + l.getKey());
        }
      }
      for (int i = 0; i < g.rules().size(); i++) {
        Rule r = g.rules().get(i);
        Map<String, Node> rn = ruleNodes.get(j).get(i).map();
        String prefix = "group " + quote(g.name()) + ", rule " + (i + 1) + ", " + quote(r.name()) + ": ";
        Node record = rn.get("record");
        Node alert = rn.get("alert");
        if (!r.record().isEmpty() && !r.alert().isEmpty()) {
          throw new InvalidRuleFileException(pos(record) + pos(alert) + prefix + "only one of 'record' and 'alert' must be set");
        }
        if (r.record().isEmpty() && r.alert().isEmpty()) {
          throw new InvalidRuleFileException(pos(record) + pos(alert) + prefix + "one of 'record' or 'alert' must be set");
        }
        if (r.expr().isEmpty()) {
          throw new InvalidRuleFileException(pos(rn.get("expr")) + prefix + "field 'expr' must be set in rule");
        }
        if (!r.record().isEmpty()) {
          if (rn.get("annotations") != null && !strings(rn.get("annotations")).isEmpty()) {
            throw new InvalidRuleFileException(pos(record) + prefix + "invalid field 'annotations' in recording rule");
          }
          if (rn.get("for") != null && duration(rn.get("for")) != 0) {
            throw new InvalidRuleFileException(pos(record) + prefix + "invalid field 'for' in recording rule");
          }
          if (rn.get("keep_firing_for") != null && duration(rn.get("keep_firing_for")) != 0) {
            throw new InvalidRuleFileException(pos(record) + prefix + "invalid field 'keep_firing_for' in recording rule");
          }
          if (r.record().contains("{") || r.record().contains("}")) {
            throw new InvalidRuleFileException(
                pos(record) + prefix + "braces present in the recording rule name; should it be in expr?: " + r.record());
          }
        }
        // Go ranges over a map here: with several bad labels, which is reported first varies.
        for (String name : new TreeMap<>(r.labels()).keySet()) {
          if (name.isEmpty() || name.equals("__name__")) {
            throw new InvalidRuleFileException(prefix + "invalid label name: " + name);
          }
        }
      }
    }
  }

  private static String pos(Node n) {
    return n == null ? "0:0: " : n.line() + ":" + n.column() + ": ";
  }

  private static String quote(String s) {
    return io.promtsdb.core.GoQuote.quote(s);
  }

  private static Node read(JsonParser p) throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    int line = loc.getLineNr();
    int column = loc.getColumnNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Node> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          m.put(key, read(p));
        }
        return new Node(m, line, column, "map");
      }
      case START_ARRAY -> {
        List<Node> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(p));
        }
        return new Node(l, line, column, "seq");
      }
      case VALUE_NULL -> {
        return new Node(null, line, column, "null");
      }
      case VALUE_NUMBER_INT -> {
        return new Node(p.getText(), line, column, "int");
      }
      case VALUE_NUMBER_FLOAT -> {
        return new Node(p.getText(), line, column, "float");
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Node(p.getText(), line, column, "bool");
      }
      default -> {
        return new Node(p.getText(), line, column, "str");
      }
    }
  }

  private static Map<String, Node> mapping(Node n, String type, List<String> errors) {
    if (n.value() == null) {
      return Map.of();
    }
    Map<String, Node> m = n.map();
    if (m == null) {
      errors.add(cannot(n, type));
      return Map.of();
    }
    return m;
  }

  /** yaml.v3's type error: {@code line N: cannot unmarshal !!int `5` into TYPE} (collections without value). */
  private static String cannot(Node n, String type) {
    String value = n.text() == null ? "" : " `" + shorten(n.text()) + "`";
    return "line " + n.line() + ": cannot unmarshal !!" + n.tag() + value + " into " + type;
  }

  /** A field decoded into a Go string: any scalar, not a collection. */
  private static void scalar(Node n, List<String> errors) {
    if (n != null && (n.map() != null || n.list() != null)) {
      errors.add(cannot(n, "string"));
    }
  }

  /** A field decoded into {@code map[string]string}. */
  private static void stringMap(Node n, List<String> errors) {
    if (n == null || n.value() == null) {
      return;
    }
    if (n.map() == null) {
      errors.add(cannot(n, "map[string]string"));
      return;
    }
    for (Node v : n.map().values()) {
      scalar(v, errors);
    }
  }

  private static String shorten(String s) {
    return s.length() > 10 ? s.substring(0, 7) + "..." : s;
  }

  private static void known(Map<String, Node> m, Set<String> fields, String type, List<String> errors) {
    for (Map.Entry<String, Node> e : m.entrySet()) {
      if (!fields.contains(e.getKey())) {
        // yaml.v3 reports the line of the key; the value's line is the key's for block maps.
        errors.add("line " + e.getValue().line() + ": field " + e.getKey() + " not found in type " + type);
      }
    }
  }

  private static String str(Node n) {
    return n == null || n.text() == null ? "" : n.text();
  }

  private static Map<String, String> strings(Node n) {
    if (n == null || n.map() == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : n.map().entrySet()) {
      out.put(e.getKey(), str(e.getValue()));
    }
    return out;
  }

  /** A {@code model.Duration} field in nanoseconds (0 if absent); its error ends decoding, as in yaml.v3. */
  private static long duration(Node n) throws InvalidRuleFileException {
    if (n == null || n.text() == null) {
      return 0;
    }
    try {
      return PromDuration.parseMillis(n.text()) * 1_000_000L;
    } catch (IllegalArgumentException e) {
      throw new InvalidRuleFileException(e.getMessage());
    }
  }
}
