package io.workflowanalytics.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The development key pair and token minting, with the JDK alone, so that the same code serves the tests (through
 * the test-jar) and the local run (as a single-file program: {@code java DevTokens.java token …}, see
 * {@code deploy/local/token}). The key pair is generated on first use into a directory that is never committed.
 */
public final class DevTokens {

    public static final String ISSUER = "https://workflow-analytics.local/dev";
    /** The audience every service accepts (mp.jwt.verify.audiences). */
    public static final String AUDIENCE = "workflow-analytics";
    public static final String PRIVATE_KEY = "dev-private.pem";
    public static final String PUBLIC_KEY = "dev-public.pem";

    private final Path keyDir;

    public DevTokens(Path keyDir) {
        this.keyDir = keyDir;
    }

    /** Creates the RSA key pair unless it exists; returns the public key's path. Safe to call concurrently. */
    public synchronized Path ensureKeys() {
        Path publicKey = keyDir.resolve(PUBLIC_KEY);
        Path privateKey = keyDir.resolve(PRIVATE_KEY);
        if (Files.exists(publicKey) && Files.exists(privateKey)) {
            return publicKey;
        }
        try {
            Files.createDirectories(keyDir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            // Write to temporary files and move, so that a concurrent reader never sees half a key.
            Path tmpPrivate = Files.createTempFile(keyDir, "private", ".tmp");
            Path tmpPublic = Files.createTempFile(keyDir, "public", ".tmp");
            Files.writeString(tmpPrivate, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.setPosixFilePermissions(tmpPrivate, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(tmpPublic, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.move(tmpPrivate, privateKey, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpPublic, publicKey, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return publicKey;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the dev key pair in " + keyDir, e);
        }
    }

    /** An RS256 JWT for {@code subject} with the given groups and workflow ids ({@code *} for all). */
    public String token(String subject, List<String> groups, List<String> workflows, long ttlSeconds) {
        return token(subject, groups, workflows, ttlSeconds, AUDIENCE);
    }

    /** The same for another audience: a token the issuer made for some other client. */
    public String token(String subject, List<String> groups, List<String> workflows, long ttlSeconds,
                        String audience) {
        ensureKeys();
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"dev\"}";
        String payload = "{\"iss\":" + quote(ISSUER)
                + ",\"aud\":" + quote(audience)
                + ",\"sub\":" + quote(subject)
                + ",\"upn\":" + quote(subject)
                + ",\"jti\":" + quote(UUID.randomUUID().toString())
                + ",\"iat\":" + now + ",\"exp\":" + (now + ttlSeconds)
                + ",\"groups\":" + array(groups)
                + ",\"workflows\":" + array(workflows) + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the dev token", e);
        }
    }

    private PrivateKey privateKey() throws GeneralSecurityException {
        try {
            String body = Files.readString(keyDir.resolve(PRIVATE_KEY)).replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the dev private key", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String array(List<String> values) {
        return values.stream().map(DevTokens::quote).collect(Collectors.joining(",", "[", "]"));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * {@code java DevTokens.java KEYDIR keys} creates the key pair and prints the public key's path;
     * {@code java DevTokens.java KEYDIR token [--sub S] [--groups G,G] [--workflows ID,ID|*] [--ttl SECONDS]}
     * prints a token.
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: DevTokens KEYDIR keys | token [--sub S] [--groups G,G] [--workflows ID,ID|*] [--ttl S]");
            System.exit(2);
        }
        DevTokens tokens = new DevTokens(Path.of(args[0]));
        if (args[1].equals("keys")) {
            System.out.println(tokens.ensureKeys().toAbsolutePath());
            return;
        }
        String sub = "dev-user";
        List<String> groups = List.of("analytics-admin");
        List<String> workflows = List.of("*");
        long ttl = 8 * 3600;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sub" -> sub = args[i + 1];
                case "--groups" -> groups = split(args[i + 1]);
                case "--workflows" -> workflows = split(args[i + 1]);
                case "--ttl" -> ttl = Long.parseLong(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.out.println(tokens.token(sub, groups, workflows, ttl));
    }

    private static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
