package org.meshledger.ledger.views;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;

/**
 * A micro-measurement, not a test: what sealing and opening one view costs on this machine, with the
 * views' suite (ChaCha20-Poly1305) through ViewCipher and bare, and for comparison the same HPKE with
 * AES-256-GCM. One thread;
 * figures of one run only compare with each other.
 *
 * <pre>./mvnw -o -pl ejb-ledger test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.meshledger.ledger.views.ViewCipherBenchmark</pre>
 */
public final class ViewCipherBenchmark {

    private ViewCipherBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("view-bench");
        NodeEncryptionKey key = NodeEncryptionKey.loadOrCreate(dir.resolve("key.pem"));
        byte[] info = ViewInfo.of("mortgage-servicing", "batch-000042", "servicer");
        byte[] aad = new byte[32];
        byte[] small = new byte[600];
        for (short aead : new short[] {HPKE.aead_CHACHA20_POLY1305, HPKE.aead_AES_GCM256}) { // JIT warm-up of both paths
            measureHpke(aead, key, info, aad, small, 5000);
        }
        measureViewCipher(key, info, aad, small, 5000);
        System.out.printf("%-34s %8s %12s %12s%n", "", "bytes", "seal µs/op", "open µs/op");
        for (int size : new int[] {600, 64 * 1024, 1024 * 1024}) {
            byte[] plaintext = new byte[size];
            new Random(size).nextBytes(plaintext);
            int n = size >= 1024 * 1024 ? 40 : size >= 64 * 1024 ? 400 : 4000;
            measureViewCipher(key, info, aad, plaintext, n / 4); // warm-up
            double[] chacha = measureViewCipher(key, info, aad, plaintext, n);
            System.out.printf("%-34s %8d %12.1f %12.1f%n", "ViewCipher (ChaCha20-Poly1305)", size, chacha[0], chacha[1]);
            measureHpke(HPKE.aead_CHACHA20_POLY1305, key, info, aad, plaintext, n / 4);
            double[] bare = measureHpke(HPKE.aead_CHACHA20_POLY1305, key, info, aad, plaintext, n);
            System.out.printf("%-34s %8d %12.1f %12.1f%n", "BC HPKE with ChaCha20-Poly1305", size, bare[0], bare[1]);
            measureHpke(HPKE.aead_AES_GCM256, key, info, aad, plaintext, n / 4);
            double[] aes = measureHpke(HPKE.aead_AES_GCM256, key, info, aad, plaintext, n);
            System.out.printf("%-34s %8d %12.1f %12.1f%n", "BC HPKE with AES-256-GCM", size, aes[0], aes[1]);
        }
        Files.deleteIfExists(dir.resolve("key.pem"));
        Files.deleteIfExists(dir);
    }

    private static double[] measureViewCipher(NodeEncryptionKey key, byte[] info, byte[] aad, byte[] plaintext, int n)
            throws Exception {
        byte[][] sealed = new byte[n][];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sealed[i] = ViewCipher.seal(key.publicKey(), info, aad, plaintext);
        }
        long sealed_ = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ViewCipher.open(key, info, aad, sealed[i]);
        }
        long opened = System.nanoTime();
        return new double[] {(sealed_ - start) / 1e3 / n, (opened - sealed_) / 1e3 / n};
    }

    private static double[] measureHpke(short aead, NodeEncryptionKey key, byte[] info, byte[] aad, byte[] plaintext, int n)
            throws Exception {
        AsymmetricCipherKeyPair pair = key.keyPair();
        byte[][] enc = new byte[n][];
        byte[][] ct = new byte[n][];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HPKEContextWithEncapsulation sender = new HPKE(HPKE.mode_base, ViewCipher.KEM_ID, ViewCipher.KDF_ID, aead)
                    .setupBaseS(pair.getPublic(), info);
            ct[i] = sender.seal(aad, plaintext);
            enc[i] = sender.getEncapsulation();
        }
        long sealed = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HPKEContext recipient = new HPKE(HPKE.mode_base, ViewCipher.KEM_ID, ViewCipher.KDF_ID, aead)
                    .setupBaseR(enc[i], pair, info);
            recipient.open(aad, ct[i]);
        }
        long opened = System.nanoTime();
        return new double[] {(sealed - start) / 1e3 / n, (opened - sealed) / 1e3 / n};
    }
}
