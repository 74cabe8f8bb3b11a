namespace Grokking.Configuration;

/// <summary>The loss images are trained with (Data:ImagesLoss).</summary>
public enum ImageLoss
{
    /// <summary>MSE against one-hot targets, the loss of Omnigrok's MNIST experiments (section 4, Fig. 3).</summary>
    Mse,

    /// <summary>Cross-entropy on the logits, the loss of Omnigrok's appendix rerun (Fig. 11, 12).</summary>
    CrossEntropy,
}
