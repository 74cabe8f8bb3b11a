using Grokking.Configuration;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// Every equation <c>c = f(a, b) mod p</c> of one operation, tokenized for a decoder-only transformer.
/// <para>
/// ThreeToken ("a, b -> c", MC and PB): the model reads <c>[a, b]</c> and predicts <c>c</c> at the last position.
/// This is the papers' 3-token sequence <c>[a, b, c]</c> read causally with the loss only where <c>c</c> is
/// predicted: under a causal mask the prediction at b's position never sees c, so the two are the same
/// computation, and the vocabulary is just the p residues.
/// FiveToken ("a op b = c"): the model reads <c>[a, op, b, =]</c> (op = token p, '=' = token p + 1) and predicts
/// c at the '=' position.
/// EqualsToken (Nanda et al., copied by Omnigrok): the model reads <c>[a, b, =]</c> ('=' = token p, vocabulary
/// p + 1) and predicts c at '='. As in that code the unembedding covers the whole vocabulary, so the softmax runs
/// over p + 1 classes, '=' included.
/// EosEquation (Power et al.'s openai/grok, PG): the model reads <c>[&lt;eos&gt;, a, op, b, =]</c> (op = token p,
/// '=' = p + 1, &lt;eos&gt; = p + 2) and predicts c at '=', with the softmax over the whole vocabulary (p + 3
/// classes), as that code's untied output layer does. That code also scores the closing &lt;eos&gt; predicted
/// from c; here only c is scored, as the PG paper states its loss (the closing token is always &lt;eos&gt; and is
/// learned in the first steps).
/// </para>
/// Operand ranges: a in [0, p-1]; b in [1, p-1] for multiplication and division (b = 0 makes the product
/// trivial and the quotient undefined; MC uses this range), b in [0, p-1] otherwise.
/// </summary>
public sealed class ModularArithmeticDataset
{
    private ModularArithmeticDataset(ModularOperation operation, int modulus, SequenceFormat format, long[] a, long[] b, long[] c)
    {
        Operation = operation;
        Modulus = modulus;
        Format = format;
        A = a;
        B = b;
        C = c;
    }

    public ModularOperation Operation { get; }

    public int Modulus { get; }

    public SequenceFormat Format { get; }

    public long[] A { get; }

    public long[] B { get; }

    public long[] C { get; }

    public int Count => C.Length;

    public int VocabularySize => VocabularySizeOf(Format, Modulus);

    public int SequenceLength => SequenceLengthOf(Format);

    public int Classes => ClassesOf(Format, Modulus);

    public static int VocabularySizeOf(SequenceFormat format, int modulus) => format switch
    {
        SequenceFormat.ThreeToken => modulus,
        SequenceFormat.EqualsToken => modulus + 1,
        SequenceFormat.EosEquation => modulus + 3,
        _ => modulus + 2,
    };

    public static int SequenceLengthOf(SequenceFormat format) => format switch
    {
        SequenceFormat.ThreeToken => 2,
        SequenceFormat.EqualsToken => 3,
        SequenceFormat.EosEquation => 5,
        _ => 4,
    };

    public static int ClassesOf(SequenceFormat format, int modulus) => format switch
    {
        SequenceFormat.EqualsToken => modulus + 1,
        SequenceFormat.EosEquation => modulus + 3,
        _ => modulus,
    };

    public static ModularArithmeticDataset Create(ModularOperation operation, int modulus, SequenceFormat format)
    {
        if (modulus < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(modulus), "the modulus p must be at least 2");
        }

        int bStart = operation is ModularOperation.Multiply or ModularOperation.Divide ? 1 : 0;
        var a = new List<long>();
        var b = new List<long>();
        var c = new List<long>();
        for (int x = 0; x < modulus; x++)
        {
            for (int y = bStart; y < modulus; y++)
            {
                a.Add(x);
                b.Add(y);
                c.Add(Apply(operation, x, y, modulus));
            }
        }

        return new ModularArithmeticDataset(operation, modulus, format, [.. a], [.. b], [.. c]);
    }

    public static long Apply(ModularOperation operation, long a, long b, long p) => operation switch
    {
        ModularOperation.Add => (a + b) % p,
        ModularOperation.Subtract => (((a - b) % p) + p) % p,
        ModularOperation.Multiply => a * b % p,
        ModularOperation.Divide => a * ModularInverse(b, p) % p,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>b^-1 mod p by the extended Euclidean algorithm; p need not be prime, but b must be invertible.</summary>
    public static long ModularInverse(long b, long p)
    {
        (long r0, long r1, long s0, long s1) = (p, ((b % p) + p) % p, 0, 1);
        while (r1 != 0)
        {
            long q = r0 / r1;
            (r0, r1) = (r1, r0 - (q * r1));
            (s0, s1) = (s1, s0 - (q * s1));
        }

        return r0 != 1
            ? throw new ArgumentException($"{b} has no inverse modulo {p}; division needs a prime modulus")
            : ((s0 % p) + p) % p;
    }

    /// <summary>Token sequences [Count, SequenceLength] (int64).</summary>
    public Tensor Inputs()
    {
        int n = SequenceLength;
        var tokens = new long[Count * n];
        for (int i = 0; i < Count; i++)
        {
            if (Format == SequenceFormat.ThreeToken)
            {
                tokens[i * n] = A[i];
                tokens[(i * n) + 1] = B[i];
            }
            else if (Format == SequenceFormat.EqualsToken)
            {
                tokens[i * n] = A[i];
                tokens[(i * n) + 1] = B[i];
                tokens[(i * n) + 2] = Modulus;
            }
            else if (Format == SequenceFormat.EosEquation)
            {
                tokens[i * n] = Modulus + 2;
                tokens[(i * n) + 1] = A[i];
                tokens[(i * n) + 2] = Modulus;
                tokens[(i * n) + 3] = B[i];
                tokens[(i * n) + 4] = Modulus + 1;
            }
            else
            {
                tokens[i * n] = A[i];
                tokens[(i * n) + 1] = Modulus;
                tokens[(i * n) + 2] = B[i];
                tokens[(i * n) + 3] = Modulus + 1;
            }
        }

        return tensor(tokens, [Count, n], ScalarType.Int64);
    }

    public Tensor Labels() => tensor(C, [Count], ScalarType.Int64);
}
