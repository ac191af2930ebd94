package io.sandbox.onboarding.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * An application as submitted, before any checks: the fields of a {@code multipart/form-data} request
 * (the API's and the {@code /apply} page's alike).
 *
 * <p>Part names: {@code legalName}, {@code jurisdiction}, {@code registryScheme}, {@code registryIdentifier},
 * {@code contactEmail}, {@code pilotDescription}, {@code representatives[i].name},
 * {@code representatives[i].email} (i = 0, 1, ...), and one {@code documents} file part per document.
 */
public record ApplicationForm(String legalName, String jurisdiction, String registryScheme, String registryIdentifier,
        String contactEmail, String pilotDescription, List<RepresentativeInput> representatives, List<Upload> documents) {

    /** Rows of representatives beyond this index are ignored. */
    static final int MAX_REPRESENTATIVES = 20;

    private static final Pattern REPRESENTATIVE = Pattern.compile("representatives\\[(\\d{1,2})]\\.(name|email)");

    public ApplicationForm {
        representatives = List.copyOf(representatives);
        documents = List.copyOf(documents);
    }

    /** A representative as typed; a row left wholly empty on a form is dropped. */
    public record RepresentativeInput(String name, String email) {
        boolean blank() {
            return (name == null || name.isBlank()) && (email == null || email.isBlank());
        }
    }

    /** An uploaded file: what the client called it and declared it to be, its size, and its bytes on demand. */
    public record Upload(String fileName, String declaredType, long size, Supplier<InputStream> content) {
    }

    /** Reads the parts of a multipart request. */
    public static ApplicationForm read(MultipartFormDataInput input) {
        Map<String, Collection<FormValue>> values = input.getValues();
        Map<Integer, String[]> rows = new TreeMap<>();
        values.forEach((name, parts) -> {
            Matcher m = REPRESENTATIVE.matcher(name);
            if (m.matches() && Integer.parseInt(m.group(1)) < MAX_REPRESENTATIVES) {
                String[] row = rows.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new String[2]);
                row[m.group(2).equals("name") ? 0 : 1] = text(parts).orElse(null);
            }
        });
        List<RepresentativeInput> representatives = new ArrayList<>();
        rows.values().stream().map(r -> new RepresentativeInput(r[0], r[1])).filter(r -> !r.blank()).forEach(representatives::add);
        List<Upload> uploads = new ArrayList<>();
        for (FormValue part : values.getOrDefault("documents", List.of())) {
            if (!part.isFileItem()) {
                continue;
            }
            long size = size(part);
            boolean nothingChosen = size == 0 && (part.getFileName() == null || part.getFileName().isBlank());
            if (!nothingChosen) {
                uploads.add(new Upload(part.getFileName() == null ? "" : part.getFileName(),
                        part.getHeaders() == null ? null : part.getHeaders().getFirst("Content-Type"), size, () -> open(part)));
            }
        }
        return new ApplicationForm(field(values, "legalName"), field(values, "jurisdiction"), field(values, "registryScheme"),
                field(values, "registryIdentifier"), field(values, "contactEmail"), field(values, "pilotDescription"),
                representatives, uploads);
    }

    private static String field(Map<String, Collection<FormValue>> values, String name) {
        return text(values.getOrDefault(name, List.of())).orElse(null);
    }

    private static Optional<String> text(Collection<FormValue> parts) {
        return parts.stream().filter(p -> !p.isFileItem()).map(FormValue::getValue).findFirst();
    }

    private static long size(FormValue part) {
        try {
            return part.getFileItem().getFileSize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(FormValue part) {
        try {
            return part.getFileItem().getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
