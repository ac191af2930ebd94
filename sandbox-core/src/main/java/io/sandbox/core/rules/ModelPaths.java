package io.sandbox.core.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The model paths an expression references ({@code event.amount}, {@code window.startup.day.sum}), in order. */
final class ModelPaths {

    private ModelPaths() {
    }

    static List<String> of(CelAbstractSyntaxTree ast) {
        Set<String> paths = new LinkedHashSet<>();
        visit(ast.getExpr(), paths, new ArrayDeque<>());
        return List.copyOf(paths);
    }

    private static void visit(CelExpr expr, Set<String> paths, Deque<String> locals) {
        switch (expr.exprKind().getKind()) {
            case IDENT -> {
                String name = expr.ident().name();
                if (isModelName(name) && !locals.contains(name)) {
                    paths.add(name);
                }
            }
            case SELECT -> {
                String path = path(expr, locals);
                if (path != null) {
                    paths.add(path);
                } else {
                    visit(expr.select().operand(), paths, locals);
                }
            }
            case CALL -> {
                expr.call().target().ifPresent(t -> visit(t, paths, locals));
                expr.call().args().forEach(a -> visit(a, paths, locals));
            }
            case LIST -> expr.list().elements().forEach(e -> visit(e, paths, locals));
            case MAP -> expr.map().entries().forEach(e -> {
                visit(e.key(), paths, locals);
                visit(e.value(), paths, locals);
            });
            case STRUCT -> expr.struct().entries().forEach(e -> visit(e.value(), paths, locals));
            case COMPREHENSION -> {
                var c = expr.comprehension();
                visit(c.iterRange(), paths, locals);
                visit(c.accuInit(), paths, locals);
                locals.push(c.iterVar());
                locals.push(c.accuVar());
                if (c.iterVar2() != null && !c.iterVar2().isEmpty()) {
                    locals.push(c.iterVar2());
                }
                visit(c.loopCondition(), paths, locals);
                visit(c.loopStep(), paths, locals);
                visit(c.result(), paths, locals);
                if (c.iterVar2() != null && !c.iterVar2().isEmpty()) {
                    locals.pop();
                }
                locals.pop();
                locals.pop();
            }
            default -> {
                // constants: nothing referenced
            }
        }
    }

    /** A variable or a leaf the checker resolved by its qualified name ({@code event.amount}). */
    private static boolean isModelName(String name) {
        return RuleModel.VARIABLES.containsKey(name) || RuleModel.LEAVES.containsKey(name);
    }

    /** The dotted path of a select chain rooted at a model variable, or null. */
    private static String path(CelExpr expr, Deque<String> locals) {
        StringBuilder suffix = new StringBuilder();
        CelExpr current = expr;
        while (current.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT) {
            if (current.select().testOnly()) {
                return null;
            }
            suffix.insert(0, "." + current.select().field());
            current = current.select().operand();
        }
        if (current.exprKind().getKind() != CelExpr.ExprKind.Kind.IDENT) {
            return null;
        }
        String root = current.ident().name();
        if (!isModelName(root) || locals.contains(root)) {
            return null;
        }
        return root + suffix;
    }
}
