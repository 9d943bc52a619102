package org.lesiontriage.deploy.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lesiontriage.deploy.promql.Node.Aggregation;
import org.lesiontriage.deploy.promql.Node.Binary;
import org.lesiontriage.deploy.promql.Node.Call;
import org.lesiontriage.deploy.promql.Node.LabelMatcher;
import org.lesiontriage.deploy.promql.Node.Literal;
import org.lesiontriage.deploy.promql.Node.Selector;
import org.lesiontriage.deploy.promql.Node.Subquery;
import org.lesiontriage.deploy.promql.Node.Type;
import org.lesiontriage.deploy.promql.Node.Unary;
import org.lesiontriage.deploy.promql.Node.VectorMatching;

/**
 * A parser of PromQL as Prometheus 2.x and 3.x read it (numbers, strings, vector selectors with matchers, range
 * vectors, subqueries, offset and @ modifiers, functions, aggregations with by/without before or after their
 * argument, binary operators with their precedence, bool, on/ignoring and group_left/group_right), with the
 * parser's type checks: a function gets the kinds of arguments it takes (rate() a range vector, histogram_quantile()
 * a scalar and a vector), a range only follows a selector, set operators join vectors. Grafana's variables ($name,
 * ${name}) stand where a duration stands ([$__rate_interval]); inside strings they are text anyway. Not covered:
 * the experimental duration arithmetic of Prometheus 3, native histogram literals, quoted UTF-8 metric names.
 */
public final class PromQl {

    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d|w|y))+(?![A-Za-z0-9_])");
    private static final Pattern NUMBER = Pattern.compile(
            "0[xX][0-9a-fA-F]+|(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{[A-Za-z0-9_:.]+}|[A-Za-z0-9_]+)");
    private static final List<String> SYMBOLS = List.of("==", "!=", "<=", ">=", "=~", "!~", "+", "-", "*", "/", "%",
            "^", "<", ">", "=", ",", "(", ")", "{", "}", "[", "]", ":", "@");

    /** Aggregation operators; those with a parameter before the vector name its type. */
    static final Map<String, Type> AGGREGATIONS = Map.ofEntries(Map.entry("sum", Type.NONE), Map.entry("avg", Type.NONE),
            Map.entry("count", Type.NONE), Map.entry("min", Type.NONE), Map.entry("max", Type.NONE),
            Map.entry("group", Type.NONE), Map.entry("stddev", Type.NONE), Map.entry("stdvar", Type.NONE),
            Map.entry("topk", Type.SCALAR), Map.entry("bottomk", Type.SCALAR), Map.entry("quantile", Type.SCALAR),
            Map.entry("limitk", Type.SCALAR), Map.entry("limit_ratio", Type.SCALAR),
            Map.entry("count_values", Type.STRING));

    private static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<=", ">=", "<", ">");

    private final String text;
    private final List<Token> tokens;
    private int next;

    private PromQl(String text) {
        this.text = text;
        this.tokens = tokens(text);
    }

    /** The expression's syntax tree; a {@link PromQlException} says where and why it does not parse. */
    public static Node parse(String expression) {
        PromQl parser = new PromQl(expression);
        if (parser.peek().kind == Kind.END) {
            throw new PromQlException("empty expression");
        }
        Node node = parser.expression(0);
        parser.expectEnd();
        return node;
    }

    /** An expression Prometheus evaluates as a rule or a panel query: an instant vector or a scalar. */
    public static Node parseQuery(String expression) {
        Node node = parse(expression);
        if (node.type() != Type.VECTOR && node.type() != Type.SCALAR) {
            throw new PromQlException("the expression is a " + node.type().text + ", not an instant vector or a scalar");
        }
        return node;
    }

    // ---- tokens

    enum Kind { IDENTIFIER, NUMBER, DURATION, STRING, VARIABLE, SYMBOL, END }

    record Token(Kind kind, String text, int at) {
        boolean is(String symbol) {
            return (kind == Kind.SYMBOL || kind == Kind.IDENTIFIER) && text.equals(symbol);
        }

        boolean isKeyword(String keyword) {
            return kind == Kind.IDENTIFIER && text.toLowerCase(Locale.ROOT).equals(keyword);
        }
    }

    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int at = 0;
        int brackets = 0; // inside [range:step] a colon separates; elsewhere it may be part of a metric name
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
                continue;
            }
            if (c == '#') { // a comment to the end of the line
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
                continue;
            }
            Matcher m;
            if (c == '"' || c == '\'' || c == '`') {
                int end = stringEnd(text, at);
                tokens.add(new Token(Kind.STRING, unquote(text.substring(at, end)), at));
                at = end;
            } else if (Character.isDigit(c) || c == '.' && at + 1 < text.length() && Character.isDigit(text.charAt(at + 1))) {
                if ((m = DURATION.matcher(text).region(at, text.length())).lookingAt()) {
                    tokens.add(new Token(Kind.DURATION, m.group(), at));
                } else if ((m = NUMBER.matcher(text).region(at, text.length())).lookingAt()) {
                    tokens.add(new Token(Kind.NUMBER, m.group(), at));
                } else {
                    throw new PromQlException("unreadable number at " + at);
                }
                at = m.end();
            } else if (c == ':' && brackets > 0) {
                tokens.add(new Token(Kind.SYMBOL, ":", at));
                at++;
            } else if ((m = IDENTIFIER.matcher(text).region(at, text.length())).lookingAt()) {
                tokens.add(new Token(Kind.IDENTIFIER, m.group(), at));
                at = m.end();
            } else if ((m = VARIABLE.matcher(text).region(at, text.length())).lookingAt()) {
                tokens.add(new Token(Kind.VARIABLE, m.group(), at));
                at = m.end();
            } else {
                int from = at;
                String symbol = SYMBOLS.stream().filter(s -> text.startsWith(s, from)).findFirst()
                        .orElseThrow(() -> new PromQlException("unexpected character '" + c + "' at " + from));
                tokens.add(new Token(Kind.SYMBOL, symbol, at));
                brackets += symbol.equals("[") ? 1 : symbol.equals("]") ? -1 : 0;
                at += symbol.length();
            }
        }
        tokens.add(new Token(Kind.END, "end of expression", text.length()));
        return tokens;
    }

    private static int stringEnd(String text, int start) {
        char quote = text.charAt(start);
        for (int at = start + 1; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == '\\' && quote != '`') {
                at++;
            } else if (c == quote) {
                return at + 1;
            } else if (c == '\n' && quote != '`') {
                break;
            }
        }
        throw new PromQlException("unterminated string at " + start);
    }

    private static String unquote(String quoted) {
        String body = quoted.substring(1, quoted.length() - 1);
        if (quoted.charAt(0) == '`') {
            return body;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char e = body.charAt(++i);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- grammar

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private Token expect(String symbol) {
        Token token = take();
        if (!token.is(symbol)) {
            throw unexpected(token, "'" + symbol + "'");
        }
        return token;
    }

    private void expectEnd() {
        if (peek().kind != Kind.END) {
            throw unexpected(peek(), "an operator or the end");
        }
    }

    private PromQlException unexpected(Token token, String wanted) {
        String found = token.kind == Kind.END ? "the end of the expression" : "'" + token.text + "'";
        return new PromQlException("expected " + wanted + " but found " + found + " at " + token.at
                + " in: " + text.strip());
    }

    private static int precedence(Token token) {
        if (token.kind != Kind.SYMBOL && token.kind != Kind.IDENTIFIER) {
            return -1;
        }
        String op = token.kind == Kind.IDENTIFIER ? token.text.toLowerCase(Locale.ROOT) : token.text;
        return switch (op) {
            case "or" -> 1;
            case "and", "unless" -> 2;
            case "==", "!=", "<=", ">=", "<", ">" -> 3;
            case "+", "-" -> 4;
            case "*", "/", "%", "atan2" -> 5;
            case "^" -> 6;
            default -> -1;
        };
    }

    /** Precedence climbing over the binary operators; ^ is right-associative, the rest left. */
    private Node expression(int minimum) {
        Node left = unary();
        while (true) {
            Token operator = peek();
            int precedence = precedence(operator);
            if (precedence < 0 || precedence < minimum) {
                return left;
            }
            take();
            String op = operator.kind == Kind.IDENTIFIER ? operator.text.toLowerCase(Locale.ROOT) : operator.text;
            boolean bool = false;
            if (peek().isKeyword("bool")) {
                if (!COMPARISONS.contains(op)) {
                    throw new PromQlException("bool only modifies a comparison, not '" + op + "', at " + peek().at);
                }
                take();
                bool = true;
            }
            VectorMatching matching = matching();
            Node right = expression(op.equals("^") ? precedence : precedence + 1);
            left = binary(op, bool, matching, left, right, operator.at);
        }
    }

    private VectorMatching matching() {
        String on = null;
        List<String> labels = List.of();
        if (peek().isKeyword("on") || peek().isKeyword("ignoring")) {
            on = take().text.toLowerCase(Locale.ROOT);
            labels = labelList();
        }
        String group = null;
        List<String> include = List.of();
        if (peek().isKeyword("group_left") || peek().isKeyword("group_right")) {
            group = take().text.toLowerCase(Locale.ROOT);
            if (peek().is("(")) {
                include = labelList();
            }
        }
        return on == null && group == null ? null : new VectorMatching(on, labels, group, include);
    }

    private Node binary(String op, boolean bool, VectorMatching matching, Node left, Node right, int at) {
        if (left.type() == Type.MATRIX || right.type() == Type.MATRIX || left.type() == Type.STRING
                || right.type() == Type.STRING) {
            throw new PromQlException("'" + op + "' at " + at + " needs instant vectors or scalars, got a "
                    + left.type().text + " and a " + right.type().text);
        }
        boolean vectors = left.type() == Type.VECTOR && right.type() == Type.VECTOR;
        if (SET_OPERATORS.contains(op) && !vectors) {
            throw new PromQlException("'" + op + "' at " + at + " joins two instant vectors");
        }
        if (matching != null && !vectors) {
            throw new PromQlException("vector matching at " + at + " needs an instant vector on both sides");
        }
        if (COMPARISONS.contains(op) && !vectors && !bool && left.type() == Type.SCALAR
                && right.type() == Type.SCALAR) {
            throw new PromQlException("a comparison of two scalars at " + at + " needs bool");
        }
        if (matching != null && matching.group() != null && SET_OPERATORS.contains(op)) {
            throw new PromQlException("no " + matching.group() + " with '" + op + "' at " + at);
        }
        Type type = left.type() == Type.VECTOR || right.type() == Type.VECTOR ? Type.VECTOR : Type.SCALAR;
        return new Binary(op, bool, matching, left, right, type);
    }

    private Node unary() {
        if (peek().is("-") || peek().is("+")) {
            Token sign = take();
            Node operand = unary();
            if (operand.type() != Type.SCALAR && operand.type() != Type.VECTOR) {
                throw new PromQlException("unary '" + sign.text + "' at " + sign.at + " needs a scalar or a vector");
            }
            return new Unary(sign.text, operand);
        }
        return postfix(primary());
    }

    /** Ranges, subqueries, offset and @ after an operand. */
    private Node postfix(Node node) {
        while (true) {
            if (peek().is("[")) {
                Token open = take();
                String range = duration();
                if (peek().is(":")) {
                    take();
                    String step = peek().is("]") ? "" : duration();
                    expect("]");
                    if (node.type() != Type.VECTOR) {
                        throw new PromQlException("a subquery at " + open.at + " needs an instant vector, got a "
                                + node.type().text);
                    }
                    node = new Subquery(node, range, step);
                } else {
                    expect("]");
                    if (!(node instanceof Selector selector) || selector.range() != null) {
                        throw new PromQlException("a range [" + range + "] at " + open.at
                                + " only follows a vector selector (a subquery takes [range:step])");
                    }
                    node = new Selector(selector.name(), selector.matchers(), range);
                }
            } else if (peek().isKeyword("offset")) {
                Token offset = take();
                if (peek().is("-")) {
                    take();
                }
                duration();
                requireSelectorOrSubquery(node, "offset", offset);
            } else if (peek().is("@")) {
                Token at = take();
                if (peek().isKeyword("start") || peek().isKeyword("end")) {
                    take();
                    expect("(");
                    expect(")");
                } else if (peek().kind == Kind.NUMBER || peek().kind == Kind.VARIABLE) {
                    take();
                } else {
                    throw unexpected(peek(), "a timestamp, start() or end()");
                }
                requireSelectorOrSubquery(node, "@", at);
            } else {
                return node;
            }
        }
    }

    private static void requireSelectorOrSubquery(Node node, String modifier, Token at) {
        if (!(node instanceof Selector) && !(node instanceof Subquery)) {
            throw new PromQlException(modifier + " at " + at.at + " only follows a selector or a subquery");
        }
    }

    private String duration() {
        Token token = take();
        if (token.kind == Kind.DURATION || token.kind == Kind.VARIABLE) {
            return token.text;
        }
        throw unexpected(token, "a duration such as 5m");
    }

    private Node primary() {
        Token token = peek();
        switch (token.kind) {
            case NUMBER:
                take();
                return new Literal(Type.SCALAR, token.text);
            case STRING:
                take();
                return new Literal(Type.STRING, token.text);
            case SYMBOL:
                if (token.is("(")) {
                    take();
                    Node inner = expression(0);
                    expect(")");
                    return new Node.Parenthesis(inner);
                }
                if (token.is("{")) {
                    return selector(null);
                }
                throw unexpected(token, "an expression");
            case IDENTIFIER:
                return identifier();
            default:
                throw unexpected(token, "an expression");
        }
    }

    private Node identifier() {
        Token token = take();
        String lower = token.text.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("nan")) {
            return new Literal(Type.SCALAR, token.text);
        }
        if (AGGREGATIONS.containsKey(lower) && (peek().is("(") || peek().isKeyword("by") || peek().isKeyword("without"))) {
            return aggregation(lower, token);
        }
        if (peek().is("(")) {
            return call(token);
        }
        if (Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or",
                "unless", "atan2").contains(lower)) {
            throw new PromQlException("'" + token.text + "' at " + token.at + " is a keyword, not an expression");
        }
        return selector(token.text);
    }

    private Node selector(String name) {
        List<LabelMatcher> matchers = new ArrayList<>();
        if (peek().is("{")) {
            take();
            while (!peek().is("}")) {
                Token label = take();
                if (label.kind != Kind.IDENTIFIER || !LABEL.matcher(label.text).matches()) {
                    throw unexpected(label, "a label name");
                }
                Token op = take();
                if (!op.is("=") && !op.is("!=") && !op.is("=~") && !op.is("!~")) {
                    throw unexpected(op, "=, !=, =~ or !~");
                }
                Token value = take();
                if (value.kind != Kind.STRING) {
                    throw unexpected(value, "a quoted label value");
                }
                matchers.add(new LabelMatcher(label.text, op.text, value.text));
                if (!peek().is("}")) {
                    expect(",");
                }
            }
            take();
        }
        if (name == null) {
            if (matchers.stream().noneMatch(m -> m.label().equals("__name__"))) {
                throw new PromQlException("a selector without a metric name needs a __name__ matcher");
            }
        }
        return new Selector(name, List.copyOf(matchers), null);
    }

    private Node call(Token name) {
        Functions.Signature signature = Functions.signature(name.text)
                .orElseThrow(() -> new PromQlException("unknown function " + name.text + "() at " + name.at));
        expect("(");
        List<Node> args = new ArrayList<>();
        while (!peek().is(")")) {
            args.add(expression(0));
            if (!peek().is(")")) {
                expect(",");
            }
        }
        take();
        signature.check(name.text, args);
        return new Call(name.text, List.copyOf(args), signature.returns());
    }

    private Node aggregation(String op, Token token) {
        String grouping = null;
        List<String> labels = List.of();
        if (peek().isKeyword("by") || peek().isKeyword("without")) {
            grouping = take().text.toLowerCase(Locale.ROOT);
            labels = labelList();
        }
        expect("(");
        Node parameter = null;
        Type parameterType = AGGREGATIONS.get(op);
        if (parameterType != Type.NONE) {
            parameter = expression(0);
            if (parameter.type() != parameterType) {
                throw new PromQlException(op + " at " + token.at + " takes a " + parameterType.text
                        + " parameter first, got a " + parameter.type().text);
            }
            expect(",");
        }
        Node argument = expression(0);
        expect(")");
        if (grouping == null && (peek().isKeyword("by") || peek().isKeyword("without"))) {
            grouping = take().text.toLowerCase(Locale.ROOT);
            labels = labelList();
        }
        if (argument.type() != Type.VECTOR) {
            throw new PromQlException(op + " at " + token.at + " aggregates an instant vector, got a "
                    + argument.type().text);
        }
        return new Aggregation(op, grouping, labels, parameter, argument);
    }

    private List<String> labelList() {
        expect("(");
        List<String> labels = new ArrayList<>();
        while (!peek().is(")")) {
            Token label = take();
            if (label.kind != Kind.IDENTIFIER || !LABEL.matcher(label.text).matches()) {
                throw unexpected(label, "a label name");
            }
            labels.add(label.text);
            if (!peek().is(")")) {
                expect(",");
            }
        }
        take();
        return List.copyOf(labels);
    }
}
