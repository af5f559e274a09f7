package dev.keyledger.servicekit.openapi;

import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one service says about its API; everything else in its OpenAPI document is shared ({@link
 * ServiceOpenApiConfiguration}). A service declares one bean of this type.
 *
 * @param title the document's title
 * @param description the document's description (Markdown)
 * @param serverDescription where the relative server {@code /} is by default
 * @param bearerDescription which tokens the bearer-JWT scheme accepts
 * @param tags the operation groups, in the order the document lists them
 * @param refusals the error responses the service registers as components, with its own words
 * @param queryParameterDescriptions descriptions of query parameters by name, for those a
 *     controller does not describe itself
 */
public record ApiDescription(
        String title,
        String description,
        String serverDescription,
        String bearerDescription,
        List<Tag> tags,
        List<RefusalDescription> refusals,
        Map<String, String> queryParameterDescriptions) {

    public ApiDescription {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(serverDescription, "serverDescription");
        Objects.requireNonNull(bearerDescription, "bearerDescription");
        tags = List.copyOf(tags);
        refusals = List.copyOf(refusals);
        queryParameterDescriptions = Map.copyOf(queryParameterDescriptions);
        if (refusals.stream().map(RefusalDescription::refusal).distinct().count() != refusals.size()) {
            throw new IllegalArgumentException("a refusal is described twice");
        }
    }
}
