namespace Kawal.Ui;

/// <summary>A refusal as the reader sees it: its Indonesian text on Indonesian pages (<see cref="KawalException.Indonesian"/>), its English message otherwise.</summary>
public static class Refusal
{
    public static string Text(Exception e) => e is KawalException { Indonesian: { } id } ? L.T(id, e.Message) : e.Message;
}
