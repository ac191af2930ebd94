package io.sandbox.core.rules;

import com.google.protobuf.Timestamp;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides the simple parts of a checked rule expression in Java, without CEL's interpreter: comparisons of model
 * leaves with constants or other leaves ({@code event.amountMinor > 100000}, {@code event.currency ==
 * permit.currency}), a string {@code in} a list leaf, boolean leaves, {@code !}, {@code &&}, {@code ||} over those, and
 * {@code exists} and {@code all} over a list leaf with such a predicate; a {@code timestamp('…')} literal is read once,
 * at planning. Most rules are such comparisons, and the
 * interpreter costs far more than the comparison itself.
 *
 * <p>{@link Plan#whole} decides a rule made only of such parts. Otherwise, for a top-level conjunction,
 * {@link Plan#guard} is the conjunction of its decidable conjuncts: when the guard is false, so is the rule, because
 * CEL's {@code &&} is false whenever one operand is false, even if another one fails; when it is true, the interpreter
 * evaluates the whole expression. A condition never fails: every leaf of the model has a value of its declared type.
 * Only same-typed operands are compared here (int with int, double with double, ...); anything else (arithmetic,
 * other functions and macros, {@code has}, mixed numeric types, string ordering) is left to the interpreter. {@code DirectEvaluationTest}
 * checks the results against the interpreter's.
 */
final class DirectEvaluation {

    /** A decidable part of an expression. */
    @FunctionalInterface
    interface Condition {
        boolean test(ModelValues values);
    }

    /** How a rule is decided: {@code whole} if not null, else the interpreter, skipped when {@code guard} is false. */
    record Plan(Condition whole, Condition guard) {
        static final Plan INTERPRETED = new Plan(null, null);
    }

    private enum Kind { INT, DOUBLE, STRING, BOOL, TIMESTAMP, STRING_LIST }

    /** A leaf, a constant or a comprehension's element ({@code local} >= 0), with its kind. */
    private record Operand(Kind kind, String leaf, Object constant, int local) {
        Operand(Kind kind, String leaf, Object constant) {
            this(kind, leaf, constant, -1);
        }

        Object value(ModelValues values) {
            return local >= 0 ? values.local(local) : leaf == null ? constant : values.value(leaf);
        }
    }

    private final CelAbstractSyntaxTree ast;
    /** The element variables of the enclosing comprehensions; the index is the variable's slot. */
    private final List<String> locals = new ArrayList<>();

    private DirectEvaluation(CelAbstractSyntaxTree ast) {
        this.ast = ast;
    }

    /** The plan for a checked expression. */
    static Plan plan(CelAbstractSyntaxTree ast) {
        DirectEvaluation planner = new DirectEvaluation(ast);
        CelExpr root = ast.getExpr();
        Condition whole = planner.condition(root);
        if (whole != null) {
            return new Plan(whole, null);
        }
        List<Condition> decidable = new ArrayList<>();
        for (CelExpr conjunct : planner.conjuncts(root, new ArrayList<>())) {
            Condition c = planner.condition(conjunct);
            if (c != null) {
                decidable.add(c);
            }
        }
        return decidable.isEmpty() ? Plan.INTERPRETED : new Plan(null, all(decidable));
    }

    private List<CelExpr> conjuncts(CelExpr expr, List<CelExpr> into) {
        if (isCall(expr, "_&&_")) {
            for (CelExpr arg : expr.call().args()) {
                conjuncts(arg, into);
            }
        } else {
            into.add(expr);
        }
        return into;
    }

    /** The condition for a boolean expression, or null when the interpreter must decide it. */
    private Condition condition(CelExpr expr) {
        switch (expr.exprKind().getKind()) {
            case CONSTANT -> {
                if (expr.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
                    boolean value = expr.constant().booleanValue();
                    return v -> value;
                }
                return null;
            }
            case IDENT, SELECT -> {
                Operand leaf = operand(expr);
                if (leaf == null || leaf.kind() != Kind.BOOL || leaf.leaf() == null) {
                    return null;
                }
                String path = leaf.leaf();
                return v -> Boolean.TRUE.equals(v.value(path));
            }
            case CALL -> {
                return call(expr.call());
            }
            case COMPREHENSION -> {
                return comprehension(expr.comprehension());
            }
            default -> {
                return null;
            }
        }
    }

    /** {@code list.exists(x, p)} and {@code list.all(x, p)} as the standard macros expand them, over a list leaf. */
    private Condition comprehension(CelExpr.CelComprehension c) {
        Operand range = operand(c.iterRange());
        CelExpr init = c.accuInit();
        CelExpr step = c.loopStep();
        if (range == null || range.kind() != Kind.STRING_LIST || (c.iterVar2() != null && !c.iterVar2().isEmpty())
                || init.exprKind().getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || init.constant().getKind() != CelConstant.Kind.BOOLEAN_VALUE
                || !isIdent(c.result(), c.accuVar())) {
            return null;
        }
        boolean all = init.constant().booleanValue();
        if (!isCall(step, all ? "_&&_" : "_||_") || step.call().args().size() != 2) {
            return null;
        }
        List<CelExpr> args = step.call().args();
        CelExpr predicate = isIdent(args.get(0), c.accuVar()) ? args.get(1)
                : isIdent(args.get(1), c.accuVar()) ? args.get(0) : null;
        if (predicate == null || locals.contains(c.accuVar())) {
            return null;
        }
        int slot = locals.size();
        locals.add(c.iterVar());
        Condition test = condition(predicate);
        locals.remove(slot);
        if (test == null) {
            return null;
        }
        return v -> {
            for (Object element : (List<?>) range.value(v)) {
                v.local(slot, element);
                if (test.test(v) != all) {
                    return !all;
                }
            }
            return all;
        };
    }

    private static boolean isIdent(CelExpr expr, String name) {
        return expr.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT && expr.ident().name().equals(name);
    }

    private Condition call(CelExpr.CelCall call) {
        if (call.target().isPresent()) {
            return null;
        }
        List<CelExpr> args = call.args();
        switch (call.function()) {
            case "_&&_", "_||_" -> {
                List<Condition> parts = new ArrayList<>();
                for (CelExpr arg : args) {
                    Condition c = condition(arg);
                    if (c == null) {
                        return null;
                    }
                    parts.add(c);
                }
                return call.function().equals("_&&_") ? all(parts) : any(parts);
            }
            case "!_" -> {
                Condition inner = condition(args.get(0));
                return inner == null ? null : v -> !inner.test(v);
            }
            case "@in" -> {
                Operand element = operand(args.get(0));
                Operand list = operand(args.get(1));
                if (element == null || list == null || element.kind() != Kind.STRING
                        || list.kind() != Kind.STRING_LIST) {
                    return null;
                }
                return v -> ((List<?>) list.value(v)).contains(element.value(v));
            }
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_" -> {
                return comparison(call.function(), operand(args.get(0)), operand(args.get(1)));
            }
            default -> {
                return null;
            }
        }
    }

    private static Condition comparison(String function, Operand a, Operand b) {
        if (a == null || b == null || a.kind() != b.kind() || a.kind() == Kind.STRING_LIST) {
            return null;
        }
        boolean equality = function.equals("_==_") || function.equals("_!=_");
        Condition equal = switch (a.kind()) {
            case INT -> v -> ((Number) a.value(v)).longValue() == ((Number) b.value(v)).longValue();
            case DOUBLE -> v -> ((Number) a.value(v)).doubleValue() == ((Number) b.value(v)).doubleValue();
            case STRING, BOOL -> v -> a.value(v).equals(b.value(v));
            case TIMESTAMP -> v -> compare((Timestamp) a.value(v), (Timestamp) b.value(v)) == 0;
            case STRING_LIST -> null;
        };
        if (equality) {
            return function.equals("_==_") ? equal : v -> !equal.test(v);
        }
        // ordering: numbers and timestamps only (CEL orders strings by code point, Java's compareTo by UTF-16 unit)
        Comparison order = switch (a.kind()) {
            case INT -> v -> Long.compare(((Number) a.value(v)).longValue(), ((Number) b.value(v)).longValue());
            case DOUBLE -> v -> {
                double x = ((Number) a.value(v)).doubleValue();
                double y = ((Number) b.value(v)).doubleValue();
                return x < y ? -1 : x > y ? 1 : x == y ? 0 : UNORDERED;
            };
            case TIMESTAMP -> v -> compare((Timestamp) a.value(v), (Timestamp) b.value(v));
            default -> null;
        };
        if (order == null) {
            return null;
        }
        return switch (function) {
            case "_<_" -> v -> {
                int c = order.compare(v);
                return c != UNORDERED && c < 0;
            };
            case "_<=_" -> v -> {
                int c = order.compare(v);
                return c != UNORDERED && c <= 0;
            };
            case "_>_" -> v -> order.compare(v) > 0;
            default -> v -> order.compare(v) >= 0;
        };
    }

    /** The result of comparing NaN with anything: every ordering is false. */
    private static final int UNORDERED = Integer.MIN_VALUE;

    @FunctionalInterface
    private interface Comparison {
        /** Negative, zero or positive; {@link #UNORDERED} when the operands have no order (NaN). */
        int compare(ModelValues values);
    }

    private static int compare(Timestamp a, Timestamp b) {
        int c = Long.compare(a.getSeconds(), b.getSeconds());
        return c != 0 ? c : Integer.compare(a.getNanos(), b.getNanos());
    }

    /** A model leaf the checker resolved, or a constant, with its kind; null for anything else. */
    private Operand operand(CelExpr expr) {
        if (expr.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
            CelConstant c = expr.constant();
            return switch (c.getKind()) {
                case INT64_VALUE -> new Operand(Kind.INT, null, c.int64Value());
                case DOUBLE_VALUE -> new Operand(Kind.DOUBLE, null, c.doubleValue());
                case STRING_VALUE -> new Operand(Kind.STRING, null, c.stringValue());
                case BOOLEAN_VALUE -> new Operand(Kind.BOOL, null, c.booleanValue());
                default -> null;
            };
        }
        if (isCall(expr, "timestamp") && expr.call().args().size() == 1) {
            return timestampLiteral(expr.call().args().get(0));
        }
        if (expr.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT) {
            int slot = locals.lastIndexOf(expr.ident().name());
            if (slot >= 0) {
                return new Operand(Kind.STRING, null, null, slot); // elements of string lists only
            }
        }
        String path = leafPath(expr);
        if (path == null) {
            return null;
        }
        Kind kind = kind(RuleModel.LEAVES.get(path));
        return kind == null ? null : new Operand(kind, path, null);
    }

    /** CEL's earliest timestamp. */
    private static final java.time.Instant YEAR_1 = java.time.Instant.parse("0001-01-01T00:00:00Z");

    /**
     * {@code timestamp('2026-03-15T00:00:00Z')}, read once here instead of on every evaluation; only the plain UTC
     * form (years 1 to 9999, as CEL allows), anything else is left to the interpreter.
     */
    private static Operand timestampLiteral(CelExpr argument) {
        if (argument.exprKind().getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || argument.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
            return null;
        }
        java.time.Instant instant = ReportingEvent.utc(argument.constant().stringValue());
        if (instant == null || instant.isBefore(YEAR_1)) {
            return null;
        }
        return new Operand(Kind.TIMESTAMP, null, RuleModel.timestamp(instant));
    }

    /** The leaf's qualified name when the checker resolved {@code expr} to a model leaf. */
    private String leafPath(CelExpr expr) {
        String path = switch (expr.exprKind().getKind()) {
            case IDENT -> expr.ident().name();
            case SELECT -> selectPath(expr);
            default -> null;
        };
        if (path == null || !RuleModel.LEAVES.containsKey(path) || locals.contains(path.split("\\.", 2)[0])) {
            return null;
        }
        String resolved = ast.getReference(expr.id()).map(CelReference::name).orElse(null);
        return path.equals(resolved) ? path : null;
    }

    private static String selectPath(CelExpr expr) {
        StringBuilder path = new StringBuilder();
        CelExpr current = expr;
        while (current.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT) {
            if (current.select().testOnly()) {
                return null;
            }
            path.insert(0, "." + current.select().field());
            current = current.select().operand();
        }
        return current.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT ? current.ident().name() + path : null;
    }

    private static Kind kind(CelType type) {
        if (type == null) {
            return null;
        }
        if (type.equals(SimpleType.INT)) {
            return Kind.INT;
        }
        if (type.equals(SimpleType.DOUBLE)) {
            return Kind.DOUBLE;
        }
        if (type.equals(SimpleType.STRING)) {
            return Kind.STRING;
        }
        if (type.equals(SimpleType.BOOL)) {
            return Kind.BOOL;
        }
        if (type.equals(SimpleType.TIMESTAMP)) {
            return Kind.TIMESTAMP;
        }
        if (type instanceof ListType list && list.elemType().equals(SimpleType.STRING)) {
            return Kind.STRING_LIST;
        }
        return null;
    }

    private static boolean isCall(CelExpr expr, String function) {
        return expr.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL && expr.call().target().isEmpty()
                && expr.call().function().equals(function);
    }

    private static Condition all(List<Condition> parts) {
        Condition[] array = parts.toArray(Condition[]::new);
        if (array.length == 1) {
            return array[0];
        }
        return v -> {
            for (Condition c : array) {
                if (!c.test(v)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Condition any(List<Condition> parts) {
        Condition[] array = parts.toArray(Condition[]::new);
        return v -> {
            for (Condition c : array) {
                if (c.test(v)) {
                    return true;
                }
            }
            return false;
        };
    }
}
