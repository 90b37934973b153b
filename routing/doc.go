// Package routing decides who must act on a case: the reporter's supervisor,
// around a conflict of interest and past people who have left, up the chain
// and finally to compliance; and by when. The reasons are kept on the case so
// anyone can see why it went where it went.
package routing
