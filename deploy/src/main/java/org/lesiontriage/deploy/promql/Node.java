package org.lesiontriage.deploy.promql;

import java.util.List;
import java.util.Optional;

/** A node of a PromQL syntax tree, with the type Prometheus gives its value. */
public sealed interface Node {

    Type type();

    /** The kinds of PromQL values (NONE: an aggregation without a parameter). */
    enum Type {
        SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string"), NONE("nothing");

        final String text;

        Type(String text) {
            this.text = text;
        }
    }

    /** {@code label op "value"} inside a selector's braces. */
    record LabelMatcher(String label, String op, String value) {
    }

    /** A number or a string. */
    record Literal(Type type, String text) implements Node {
    }

    /**
     * {@code name{matchers}} or {@code {__name__="name", ...}}; with a range ({@code [5m]}) a range vector.
     *
     * @param name  the metric name written before the braces, or null
     * @param range the range's duration text, or null for an instant vector
     */
    record Selector(String name, List<LabelMatcher> matchers, String range) implements Node {
        @Override
        public Type type() {
            return range == null ? Type.VECTOR : Type.MATRIX;
        }

        /** The metric it selects: the name before the braces, or an exact {@code __name__} matcher. */
        public Optional<String> metric() {
            if (name != null) {
                return Optional.of(name);
            }
            return matchers.stream().filter(m -> m.label().equals("__name__") && m.op().equals("="))
                    .map(LabelMatcher::value).findFirst();
        }
    }

    /** {@code expr[range:step]}. */
    record Subquery(Node inner, String range, String step) implements Node {
        @Override
        public Type type() {
            return Type.MATRIX;
        }
    }

    record Parenthesis(Node inner) implements Node {
        @Override
        public Type type() {
            return inner.type();
        }
    }

    record Unary(String sign, Node operand) implements Node {
        @Override
        public Type type() {
            return operand.type();
        }
    }

    record Call(String function, List<Node> args, Type type) implements Node {
    }

    /**
     * {@code op [by|without (labels)] ([parameter,] argument)}.
     *
     * @param grouping "by", "without" or null
     */
    record Aggregation(String op, String grouping, List<String> labels, Node parameter, Node argument) implements Node {
        @Override
        public Type type() {
            return Type.VECTOR;
        }
    }

    /**
     * {@code on|ignoring (labels)} and {@code group_left|group_right (labels)} of a binary operation.
     *
     * @param on    "on", "ignoring" or null
     * @param group "group_left", "group_right" or null
     */
    record VectorMatching(String on, List<String> labels, String group, List<String> include) {
    }

    record Binary(String op, boolean bool, VectorMatching matching, Node left, Node right, Type type) implements Node {
    }
}
