package io.meridian.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The objects an overlay renders to, through {@code kubectl kustomize} (Debian's {@code kubernetes-client}, which
 * {@code .ci/run} installs), read into fabric8's model classes.
 */
final class Manifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "StatefulSet", StatefulSet.class,
            "Service", Service.class,
            "ConfigMap", ConfigMap.class,
            "ServiceAccount", ServiceAccount.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "NetworkPolicy", NetworkPolicy.class);

    private final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = objects;
    }

    /** Renders {@code overlays/<name>} of this module. */
    static Manifests render(String overlay) throws IOException, InterruptedException {
        Path directory = Path.of("overlays", overlay).toAbsolutePath();
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", directory.toString()).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to render the manifests: apt-get install"
                    + " kubernetes-client (.ci/run does)", e);
        }
        byte[] rendered = kubectl.getInputStream().readAllBytes();
        String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + directory + " failed: " + errors);
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode document : YAML.readValues(YAML.createParser(rendered), JsonNode.class).readAll()) {
            String kind = document.path("kind").asText();
            Class<? extends HasMetadata> type = KINDS.get(kind);
            if (type == null) {
                throw new IllegalStateException("the manifests hold a " + kind + " that no test checks");
            }
            objects.add(YAML.treeToValue(document, type));
        }
        return new Manifests(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    Service service(String name) {
        return all(Service.class).stream().filter(service -> service.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no Service " + name));
    }
}
