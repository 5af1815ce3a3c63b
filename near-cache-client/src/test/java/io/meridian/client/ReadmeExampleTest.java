package io.meridian.client;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's example is the code of {@code OrdersApplication}, which compiles with the tests: every Java block of
 * the README's example section is found, line for line in order (indentation aside), in that file.
 */
class ReadmeExampleTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesExampleIsTheCompiledExampleApplication() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## An example application");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> source = trimmed(Files.readString(
                Path.of("src/test/java/io/meridian/client/example/OrdersApplication.java")));
        Matcher blocks = JAVA_BLOCK.matcher(section);
        int found = 0;
        while (blocks.find()) {
            List<String> block = trimmed(blocks.group(1));
            assertTrue(java.util.Collections.indexOfSubList(source, block) >= 0,
                    "the README's block starting '" + block.get(0) + "' is not OrdersApplication's code");
            found++;
        }
        assertEquals(2, found, "the example section's Java blocks");
    }

    private static List<String> trimmed(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }
}
