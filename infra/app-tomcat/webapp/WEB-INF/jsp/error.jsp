<%-- The error page of every status and exception, so that they too carry X-Node and answer like errors.ts:
     404, 405/501 (methods a route does not take) and OPTIONS (refused by WEB-INF/rewrite.config) → 404
     not-found, as express answers them; other 4xx → bad-request; anything else → 500 internal-error. --%>
<%@ page session="false" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/contract.jspf" %><%
  // Nothing of the failed request is kept (no Allow header of a refused method, no cookie of a half-made session),
  // as errors.ts does; then X-Node and Cache-Control again.
  if (!response.isCommitted()) response.reset();
  Exchange x = new Exchange(request, response, out);
  Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
  int status = code instanceof Integer ? ((Integer) code).intValue() : 500;
  if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null) status = 500;
  if (status == 404 || status == 405 || status == 501 || request.getMethod().equals("OPTIONS")) {
    x.notFound();
  } else {
    x.failure(status);
  }
%>
