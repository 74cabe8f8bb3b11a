namespace Grokking.Configuration;

/// <summary>
/// The linearly separable representation images are mixed with under representation messiness (Data:ImagesTemplates,
/// Omnigrok section 5.2): every pixel of label y's image set to the template value t_y.
/// </summary>
public enum ImageTemplates
{
    /// <summary>t = linspace(-0.5, 0.5, 10), the notebook that drew Fig. 8 (mnist-representation-landscape.ipynb).</summary>
    Notebook,

    /// <summary>t_y = y, the text's "an image of a 2 is represented by a matrix with all elements being 2".</summary>
    Label,
}
