package org.lesiontriage.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Guards the released contracts: every current schema must read data written with every released version. */
@Tag("unit")
class SchemaHistoryCompatibilityTest {

    private static final Map<String, Schema> CURRENT = ContractSchemaFiles.current();
    private static final Map<String, TreeMap<Integer, Schema>> HISTORY = ContractSchemaFiles.history();

    @Test
    void everySchemaHasAReleaseHistoryStartingAtVersionOne() {
        assertThat(HISTORY.keySet()).containsExactlyInAnyOrderElementsOf(CURRENT.keySet());
        HISTORY.forEach((name, versions) -> assertThat(versions.keySet())
                .as("versions of %s, numbered 1..n without gaps", name)
                .containsExactlyElementsOf(Stream.iterate(1, v -> v + 1).limit(versions.size()).toList()));
    }

    @TestFactory
    Stream<DynamicTest> everyCurrentSchemaReadsEveryReleasedVersion() {
        return HISTORY.entrySet().stream().flatMap(record -> record.getValue().entrySet().stream()
                .map(version -> DynamicTest.dynamicTest(record.getKey() + " reads v" + version.getKey(), () ->
                        assertThat(BackwardCompatibility.problems(CURRENT.get(record.getKey()), version.getValue()))
                                .as("%s is not BACKWARD compatible with history/%s/v%d.avsc",
                                        record.getKey(), record.getKey(), version.getKey())
                                .isEmpty())));
    }

    @Test
    void theCheckCatchesANewRequiredFieldWithoutDefault() {
        Schema released = HISTORY.get("LesionImageEvent").firstEntry().getValue();
        Schema breaking = new Schema.Parser().parse(CURRENT.get("LesionImageEvent").toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"patient_age\",\"type\":\"int\",\"doc\":\"Age.\"},"));

        assertThat(BackwardCompatibility.problems(breaking, released))
                .singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE").contains("patient_age");
    }

    @Test
    void theCheckCatchesAChangedFieldTypeInASharedType() {
        Schema released = HISTORY.get("TriageResult").firstEntry().getValue();
        Schema breaking = new Schema.Parser().parse(CURRENT.get("TriageResult").toString()
                .replace("{\"name\":\"version\",\"type\":\"string\"", "{\"name\":\"version\",\"type\":\"int\""));

        assertThat(BackwardCompatibility.problems(breaking, released))
                .singleElement().asString().contains("TYPE_MISMATCH").contains("/fields/8/type/fields/1/type");
    }

    @Test
    void theCheckAcceptsANewOptionalFieldWithDefault() {
        Schema released = HISTORY.get("LesionImageEvent").firstEntry().getValue();
        Schema evolved = new Schema.Parser().parse(CURRENT.get("LesionImageEvent").toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"lesion_diameter_mm\",\"type\":[\"null\",\"double\"],\"default\":null,\"doc\":\"d\"},"));

        assertThat(BackwardCompatibility.problems(evolved, released)).isEmpty();
    }

    @Test
    void everyTypeAndFieldIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        CURRENT.values().forEach(schema -> collectUndocumented(schema, undocumented));
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(Schema schema, List<String> undocumented) {
        switch (schema.getType()) {
            case RECORD -> {
                if (isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        undocumented.add(schema.getName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), undocumented);
                }
            }
            case ENUM -> {
                if (isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
            }
            case ARRAY -> collectUndocumented(schema.getElementType(), undocumented);
            case MAP -> collectUndocumented(schema.getValueType(), undocumented);
            case UNION -> schema.getTypes().forEach(type -> collectUndocumented(type, undocumented));
            default -> {
            }
        }
    }

    private static boolean isBlank(String doc) {
        return doc == null || doc.isBlank();
    }
}
