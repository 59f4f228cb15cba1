// The downloads a trainer credential has open (the benchmark export), so that signing out ends
// them as it ends the credential's feeds (FeedHub.end). An export of a big class takes many
// pages and waits for a slow reader between them; without this, whoever holds the connection
// (on a shared network, not necessarily the trainer) would read on to its end after the sign-out.
import type { ServerResponse } from 'node:http';

export class TrainerDownloads {
  /** Each open download's response, with the hash of the credential that asked for it. */
  private readonly open = new Map<ServerResponse, string>();

  /**
   * Follows a download until it closes. Call it in the tick in which the credential was checked,
   * before the first await: a sign-out can then never fall between the check and this.
   */
  add(response: ServerResponse, owner: string): void {
    this.open.set(response, owner);
    response.once('close', () => this.open.delete(response));
  }

  /** Ends the downloads a credential opened; the export's loop sees `destroyed` and writes no more. */
  end(owner: string): void {
    for (const [response, openedBy] of this.open) {
      if (openedBy !== owner) continue;
      this.open.delete(response);
      // Destroyed, not ended: a reader that stalls would keep the socket and what it buffered.
      response.destroy();
    }
  }
}
