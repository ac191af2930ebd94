package io.sandbox.dashboard.rules;

import io.quarkus.runtime.StartupEvent;
import io.sandbox.core.rules.BuiltInRules;
import io.sandbox.core.rules.CompiledRule;
import io.sandbox.core.rules.PermitRules;
import io.sandbox.core.rules.RuleCompilationException;
import io.sandbox.core.rules.RuleCompiler;
import io.sandbox.core.rules.RuleDefinition;
import io.sandbox.core.rules.RuleMode;
import io.sandbox.core.rules.RuleSet;
import io.sandbox.core.rules.Severity;
import io.sandbox.core.rules.StartupProfile;
import io.sandbox.core.security.Caller;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.rules.RuleStore.Origin;
import io.sandbox.dashboard.rules.RuleStore.Stored;
import io.sandbox.dashboard.web.FieldErrors;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The rules: changes (compiled first, stored with a new version and audited) and the live {@link RuleSet}, an
 * immutable snapshot rebuilt after each committed change and read by every channel's evaluator.
 */
@ApplicationScoped
public class RuleService {

    private static final Logger LOG = Logger.getLogger(RuleService.class);
    private static final String SYSTEM = "system";
    private static final Pattern STARTUP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final RuleStore store;
    private final RuleCompiler compiler = new RuleCompiler();
    private final Map<String, CompiledRule> compiled = new ConcurrentHashMap<>();
    private volatile RuleSet live = RuleSet.of(List.of());

    RuleService(RuleStore store) {
        this.store = store;
    }

    void seed(@Observes @Priority(10) StartupEvent event) {
        seedBuiltIns();
        reload();
    }

    /** The rules in force: read by the evaluators on every transaction. */
    public RuleSet live() {
        return live;
    }

    /** The compiler (thread-safe). */
    public RuleCompiler compiler() {
        return compiler;
    }

    /** Stores the built-in rules that are missing or changed (origin BUILT_IN), keeping a regulator's mode. */
    @Transactional
    void seedBuiltIns() {
        for (RuleDefinition rule : BuiltInRules.all()) {
            var existing = store.find(rule.id());
            RuleDefinition wanted = existing.map(s -> rule.withMode(RuleMode.valueOf(s.version().mode()))).orElse(rule);
            store.upsert(SYSTEM, Origin.BUILT_IN, wanted, "Built-in structural rule.", "built-in rule of this release");
        }
    }

    /** Rebuilds the live rule set from the database (compiled forms are cached by id and version). */
    public synchronized void reload() {
        List<CompiledRule> rules = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Stored stored : store.current()) {
            RuleDefinition definition = stored.definition();
            String key = definition.id() + "@" + definition.version();
            keys.add(key);
            try {
                rules.add(compiled.computeIfAbsent(key, k -> compiler.compile(definition)));
            } catch (RuntimeException e) {
                LOG.errorf("rule %s version %d no longer compiles and is left out: %s", definition.id(),
                        definition.version(), e.getMessage());
            }
        }
        compiled.keySet().retainAll(keys);
        live = RuleSet.of(rules);
    }

    /** Creates a rule of the regulator's. */
    public Stored create(Caller caller, RuleViews.RuleRequest body) {
        FieldErrors errors = new FieldErrors();
        if (body == null) {
            throw ProblemException.badRequest("A rule is required as the JSON body.");
        }
        String reason = errors.text("reason", body.reason(), 2000);
        RuleDefinition rule = definition(errors, "user:" + UUID.randomUUID().toString().substring(0, 13), 1, body, null);
        errors.check();
        compile(rule);
        Stored stored = store.create(caller.username(), Origin.USER, rule, blankToNull(body.description()), reason);
        reload();
        return stored;
    }

    /** A new version of a regulator's rule; absent fields keep their current value. */
    public Stored update(Caller caller, String id, RuleViews.RuleRequest body) {
        Stored current = store.find(id).orElseThrow(() -> ProblemException.notFound("Rule '" + id + "'"));
        if (body == null) {
            throw ProblemException.badRequest("The rule's changes are required as the JSON body.");
        }
        if (current.origin() != Origin.USER) {
            throw ProblemException.conflict("Rule '" + id + "' is a " + current.origin().name().toLowerCase()
                    .replace('_', '-') + " rule: only its mode can be changed (POST /api/v1/rules/" + id + "/mode)"
                    + (current.origin() == Origin.PERMIT ? "; its boundaries follow the startup's permit." : "."));
        }
        FieldErrors errors = new FieldErrors();
        String reason = errors.text("reason", body.reason(), 2000);
        RuleDefinition rule = definition(errors, id, current.currentVersion() + 1, body, current);
        errors.check();
        compile(rule);
        String description = body.description() == null ? current.version().description() : blankToNull(body.description());
        Stored stored = store.newVersion(caller.username(), "rule.changed", id, rule, description, reason);
        reload();
        return stored;
    }

    /** Changes a rule's mode (any origin) as a new version. */
    public Stored mode(Caller caller, String id, RuleViews.ModeRequest body) {
        Stored current = store.find(id).orElseThrow(() -> ProblemException.notFound("Rule '" + id + "'"));
        FieldErrors errors = new FieldErrors();
        RuleMode mode = errors.oneOf("mode", body == null ? null : body.mode(), RuleMode.class);
        String reason = errors.text("reason", body == null ? null : body.reason(), 2000);
        errors.check();
        RuleDefinition rule = current.definition().withMode(mode);
        Stored stored = store.newVersion(caller.username(), "rule.mode-changed", id, rule,
                current.version().description(), reason);
        reload();
        return stored;
    }

    /** Why a permit rule was disabled when its boundary left the permit. */
    private static final String BOUNDARY_REMOVED = "The permit no longer has this boundary.";

    /**
     * Re-derives the permit rules of a startup in the caller's transaction: new versions of the derived rules and the
     * rules of boundaries the permit no longer has DISABLED. A mode the regulator chose (a permit rule put in TEST or
     * DISABLED) is kept; a rule disabled because its boundary had left the permit becomes ACTIVE again. Call
     * {@link #reload()} after the commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> derivePermitRules(String actor, StartupProfile startup, int permitVersion, String reason) {
        List<RuleDefinition> derived = PermitRules.derive(startup, permitVersion);
        Set<String> ids = new HashSet<>();
        List<String> changed = new ArrayList<>();
        for (RuleDefinition rule : derived) {
            ids.add(rule.id());
            String description = "Derived from version " + permitVersion + " of the permit of " + startup.name() + ".";
            var existing = store.find(rule.id());
            Stored stored = existing.isEmpty()
                    ? store.create(actor, Origin.PERMIT, rule, description, reason)
                    : store.newVersion(actor, "rule.versioned", rule.id(), rule.withMode(keptMode(existing.get(),
                            rule.mode())), description, reason);
            changed.add(stored.id() + "@" + stored.currentVersion());
        }
        for (String id : store.idsStartingWith("permit:" + startup.name() + ":")) {
            if (!ids.contains(id)) {
                Stored old = store.find(id).orElseThrow();
                if (RuleMode.valueOf(old.version().mode()) != RuleMode.DISABLED) {
                    store.newVersion(actor, "rule.mode-changed", id, old.definition().withMode(RuleMode.DISABLED),
                            BOUNDARY_REMOVED, reason);
                    changed.add(id + "@disabled");
                }
            }
        }
        return changed;
    }

    private static RuleMode keptMode(Stored existing, RuleMode derived) {
        RuleMode mode = RuleMode.valueOf(existing.version().mode());
        boolean boundaryReturns = mode == RuleMode.DISABLED && BOUNDARY_REMOVED.equals(existing.version().description());
        return boundaryReturns ? derived : mode;
    }

    /** Compiles a definition, refusing it with the compiler's issues (400, with line and column). */
    public CompiledRule compile(RuleDefinition rule) {
        try {
            return compiler.compile(rule);
        } catch (RuleCompilationException e) {
            throw refused(e);
        }
    }

    /** The 400 problem for a rule that does not compile: {@code errors[]} with message, line and column. */
    static ProblemException refused(RuleCompilationException e) {
        List<Map<String, Object>> issues = new ArrayList<>();
        for (RuleCompilationException.Issue issue : e.issues()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("field", "expression");
            one.put("message", issue.message());
            one.put("line", issue.line());
            one.put("column", issue.column());
            issues.add(one);
        }
        String first = e.issues().isEmpty() ? e.getMessage()
                : e.issues().get(0).line() + ":" + e.issues().get(0).column() + ": " + e.issues().get(0).message();
        return new ProblemException(Problem.of("rule-does-not-compile", "Rule Does Not Compile", 400,
                "The expression does not compile: " + first).with("errors", issues));
    }

    private static RuleDefinition definition(FieldErrors errors, String id, int version, RuleViews.RuleRequest body,
            Stored current) {
        RuleDefinition now = current == null ? null : current.definition();
        String name = body.name() == null && now != null ? now.name() : errors.text("name", body.name(), 200);
        Severity severity = body.severity() == null && now != null ? now.severity()
                : errors.oneOf("severity", body.severity(), Severity.class);
        RuleMode mode = body.mode() == null && now != null ? now.mode()
                : body.mode() == null ? RuleMode.TEST : errors.oneOf("mode", body.mode(), RuleMode.class);
        String expression = body.expression() == null && now != null ? now.expression()
                : errors.text("expression", body.expression(), 10_000);
        Set<String> scope = body.scope() == null && now != null ? now.scope() : new HashSet<>();
        if (body.scope() != null) {
            for (int i = 0; i < body.scope().size(); i++) {
                String s = body.scope().get(i);
                if (s == null || !STARTUP_NAME.matcher(s).matches()) {
                    errors.add("scope[" + i + "]", "must be a startup name (lower-case letters, digits and '-'), got '"
                            + s + "'");
                } else {
                    scope.add(s);
                }
            }
        }
        if (name == null || severity == null || mode == null || expression == null) {
            return null;
        }
        return new RuleDefinition(id, version, name, severity, mode, scope, expression);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
