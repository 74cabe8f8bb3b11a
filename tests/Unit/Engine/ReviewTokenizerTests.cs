using Grokking.Data;

namespace Grokking.Tests.Unit.Engine;

/// <summary>Omnigrok's IMDb tokenization, checked on cases computed by hand from its Python code.</summary>
public class ReviewTokenizerTests
{
    [Fact]
    public void The_stop_words_are_nltks_179_english_words_of_2021()
    {
        EnglishStopWords.Words.Should().HaveCount(179).And.OnlyHaveUniqueItems();
        EnglishStopWords.Words[0].Should().Be("i");
        EnglishStopWords.Words[^1].Should().Be("wouldn't");
        foreach (string word in new[] { "i", "me", "you're", "the", "s", "t", "should've", "ma", "mightn't", "wouldn" })
        {
            EnglishStopWords.Contains(word).Should().BeTrue(word);
        }

        foreach (string word in new[] { "movie", "dont", "I", "br", "" })
        {
            EnglishStopWords.Contains(word).Should().BeFalse(word);
        }
    }

    [Theory]
    [InlineData("don't", "dont")]
    [InlineData("<br", "br")]
    [InlineData("/><br", "br")]
    [InlineData("/>", "")]
    [InlineData("10/10", "")]
    [InlineData("1st", "st")]
    [InlineData("film's", "films")]
    [InlineData("e.g.", "eg")]
    [InlineData("snake_case", "snake_case")]
    [InlineData("café!", "café")]
    [InlineData("7½", "½")]
    [InlineData("x²", "x²")]
    [InlineData("naïve…", "naïve")]
    [InlineData("٣d", "d")]
    public void A_word_keeps_its_word_characters_less_digits_as_python_re_does(string word, string cleaned) =>
        ReviewTokenizer.Clean(word).Should().Be(cleaned);

    [Fact]
    public void Reviews_are_lowercased_and_split_on_python_whitespace()
    {
        string text = "  Great\tFILM\n\u00A0and\u001Fmore\u2003end.  ";

        ReviewTokenizer.CleanWords(text).Should().Equal("great", "film", "and", "more", "end");
        ReviewTokenizer.CleanWords("İSTANBUL Über").Should().Equal("istanbul", "über");
    }

    [Fact]
    public void The_vocabulary_ranks_training_words_by_count_and_ties_by_first_occurrence()
    {
        // great 4, movie 2, plot 2, then really, bad, actors, twist, twists once each, in the order first seen;
        // "The", "was" and "2" are dropped (stop words, an empty word), "I don't" keeps "dont" (no stop word once cleaned).
        string[] train = ["Great movie! The movie was GREAT, really great.", "Bad plot; great actors. Plot twist: 2 twists!"];

        ReviewTokenizer.Fit(train, 4).Words.Should().Equal("great", "movie", "plot", "really");
        ReviewTokenizer.Fit(train, 100).Words.Should().Equal("great", "movie", "plot", "really", "bad", "actors", "twist", "twists");
        ReviewTokenizer.Fit(["The the THE movie, I don't don't know"], 10).Words.Should().Equal("dont", "movie", "know");
    }

    [Fact]
    public void Encoding_keeps_vocabulary_words_in_order_pads_on_the_left_and_truncates_to_the_first_tokens()
    {
        var tokenizer = ReviewTokenizer.Fit(["Great movie! The movie was GREAT, really great.", "Bad plot; great actors. Plot twist: 2 twists!"], 4);
        // great 1, movie 2, plot 3, really 4; "the", "was", "br" and the empty word are not in the vocabulary.
        const string review = "The plot was really, REALLY great!! <br /><br />Movie2";

        tokenizer.Encode(review, 8).Should().Equal(0, 0, 0, 3, 4, 4, 1, 2);
        tokenizer.Encode(review, 5).Should().Equal(3, 4, 4, 1, 2);
        tokenizer.Encode(review, 3).Should().Equal(3, 4, 4);
        tokenizer.Encode("nothing known here", 4).Should().Equal(0, 0, 0, 0);
        tokenizer.Encode("", 2).Should().Equal(0, 0);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var tokenizer = ReviewTokenizer.Fit(["a film"], 1);

        tokenizer.Words.Should().Equal("film");
        tokenizer.Invoking(t => t.Encode("film", 0)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ReviewTokenizer.Fit(["film"], 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
