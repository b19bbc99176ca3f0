// Counts list requests in flight across sandboxes (the estate benchmark's workload clusters share one):
// how many lists at once, and how many servers had one at once, with their highest values.

export class InFlight {
  lists = 0;
  maxLists = 0;
  servers = 0;
  maxServers = 0;

  /** The hook of one server: call it when a list starts; call what it returns when that list ends (once). */
  forServer(): () => () => void {
    let mine = 0;
    return () => {
      this.maxLists = Math.max(this.maxLists, ++this.lists);
      if (mine++ === 0) this.maxServers = Math.max(this.maxServers, ++this.servers);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        this.lists--;
        if (--mine === 0) this.servers--;
      };
    };
  }

  snapshot() {
    return { lists: this.lists, maxLists: this.maxLists, servers: this.servers, maxServers: this.maxServers };
  }
}
