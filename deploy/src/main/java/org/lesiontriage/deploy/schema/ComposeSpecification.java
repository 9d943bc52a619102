package org.lesiontriage.deploy.schema;

import com.networknt.schema.Schema;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import org.lesiontriage.deploy.YamlDocuments;
import tools.jackson.databind.JsonNode;

/** A compose file against the Compose specification's JSON schema (schemas/compose-spec/compose-spec.json). */
public final class ComposeSpecification {

    static final String DOCUMENT = "compose-spec/compose-spec.json";

    private final Schema schema;

    private ComposeSpecification(Schema schema) {
        this.schema = schema;
    }

    public static ComposeSpecification load() {
        return new ComposeSpecification(SchemaResources.compile(SpecificationVersion.DRAFT_7, DOCUMENT,
                YamlDocuments.json(SchemaResources.read(DOCUMENT))));
    }

    public List<String> problems(String subject, JsonNode compose) {
        return SchemaResources.messages(subject, schema.validate(compose));
    }
}
