using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// Representation messiness of labelled inputs (Omnigrok section 5.2, Eq. 7: R = m R_raw + (1 - m) R_linear): member k
/// sees an input x of label y as m_k x + (1 - m_k) t_y, where R_linear's input for label y has every feature equal to
/// the template value t_y (Omnigrok's MNIST notebook: t = linspace(-0.5, 0.5, 10) over the ten labels, so an image of
/// a 2 becomes a constant image). m = 1 is the raw input, m = 0 an input that is its label. The mix is applied to the
/// rows a step or an evaluation pass reads, never stored per member, so the raw inputs are held once however many
/// members sweep m.
/// </summary>
public sealed class LabelTemplateMix : IDisposable
{
    /// <param name="messiness">[K] each member's m in [0, 1].</param>
    /// <param name="templates">[C] the template value t_y of each label y.</param>
    public LabelTemplateMix(Tensor messiness, Tensor templates)
    {
        if (messiness.dim() != 1 || templates.dim() != 1)
        {
            throw new ArgumentException("messiness is one value per member and templates one value per label");
        }

        Messiness = messiness;
        Templates = templates;
        Complement = messiness.neg().PlusInPlace(1.0).DetachFromDisposeScope(); // owned by this mix, whatever scope builds it
    }

    /// <summary>[K] each member's messiness.</summary>
    public Tensor Messiness { get; }

    /// <summary>[K] each member's 1 - m, the weight of its template.</summary>
    public Tensor Complement { get; }

    /// <summary>[C] the template value of each label.</summary>
    public Tensor Templates { get; }

    /// <summary>
    /// Evenly spaced template values from <paramref name="low"/> to <paramref name="high"/>, one per label (the notebook's
    /// torch.linspace(-0.5, 0.5, steps=10)), as float32 like the images.
    /// </summary>
    public static Tensor EvenTemplates(int labels, double low, double high, Device device) =>
        linspace(low, high, labels, dtype: ScalarType.Float32, device: device);

    /// <summary>
    /// Rows <paramref name="x"/> [K, B, ...] with labels <paramref name="labels"/> [K, B] as each member sees them, in
    /// x's type: m_k x + (1 - m_k) t_labels, the template broadcast over every feature of a row.
    /// </summary>
    public Tensor Apply(Tensor x, Tensor labels)
    {
        long k = x.shape[0];
        if (k != Messiness.shape[0] || labels.shape[0] != k || labels.shape[1] != x.shape[1])
        {
            throw new ArgumentException(
                $"rows [{string.Join(", ", x.shape)}] and labels [{string.Join(", ", labels.shape)}] do not match {Messiness.shape[0]} members");
        }

        using var scope = NewDisposeScope();
        long[] memberShape = [k, .. Enumerable.Repeat(1L, (int)x.dim() - 1)];
        long[] rowShape = [.. labels.shape, .. Enumerable.Repeat(1L, (int)x.dim() - 2)];
        var m = Messiness.to_type(x.dtype).view(memberShape);
        var t = Templates.to_type(x.dtype).index_select(0, labels.reshape(-1)).view(rowShape);
        return x.mul(m).Plus(t.mul(Complement.to_type(x.dtype).view(memberShape))).MoveToOuterDisposeScope();
    }

    /// <summary>Members [<paramref name="first"/>, first + <paramref name="count"/>) alone (views).</summary>
    public LabelTemplateMix ForMembers(int first, int count) => new(Messiness.narrow(0, first, count), Templates.alias());

    public void Dispose()
    {
        Messiness.Dispose();
        Complement.Dispose();
        Templates.Dispose();
    }
}
