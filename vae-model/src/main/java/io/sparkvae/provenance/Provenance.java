package io.sparkvae.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.sparkvae.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What produced an artifact: the run, its full resolved config, the seed, the dataset manifest's hash
 * and the code's git commit. Every model, metrics file and picture carries one.
 *
 * @param run           run name (the config file's stem)
 * @param config        the resolved job configuration, as nested maps (so it serialises as JSON)
 * @param seed          the run's random seed
 * @param datasetSha256 the identity of the dataset the artifact was made from ({@code DatasetManifest.hash()}: a
 *                      hash of its content and settings), or null
 * @param modelSha256   the identity of a model (a hash of its spec, parameters and optimiser state): in a model's
 *                      own provenance its own, in an evaluation's or a picture's the model it was made from; or null
 * @param gitCommit     commit of the code that made it ("unknown" outside a git checkout)
 * @param createdAt     ISO-8601 instant (never part of an identity)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
        String run, Map<String, Object> config, long seed, String datasetSha256, String modelSha256, String gitCommit,
        String createdAt) {

    /** A provenance stamped now with this build's git commit. */
    public static Provenance of(String run, Map<String, Object> config, long seed, String datasetSha256) {
        return new Provenance(run, new TreeMap<>(config), seed, datasetSha256, null, currentGitCommit(),
                Instant.now().toString());
    }

    /** The same provenance recording the model identity {@code sha256}. */
    public Provenance withModelSha256(String sha256) {
        return new Provenance(run, config, seed, datasetSha256, sha256, gitCommit, createdAt);
    }

    /** The git commit this code was built from (recorded at build time by git-commit-id-maven-plugin). */
    public static String currentGitCommit() {
        try (InputStream in = Provenance.class.getResourceAsStream("/io/sparkvae/git.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String id = p.getProperty("git.commit.id", "unknown");
            boolean dirty = Boolean.parseBoolean(p.getProperty("git.dirty", "false"));
            return dirty ? id + "-dirty" : id;
        } catch (IOException e) {
            return "unknown";
        }
    }

    public String toJson() {
        return Json.write(this);
    }

    public static Provenance fromJson(String json) {
        try {
            return Json.mapper().readValue(json, Provenance.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a provenance record: " + e.getOriginalMessage(), e);
        }
    }
}
